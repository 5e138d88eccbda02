package org.lsst.ts.upgrade.rehearsal;

import java.util.List;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The messages the twin's Slack received: {@code GET /rehearsal/slack/messages?site=summit}. */
@RestController
@Profile("rehearsal")
class TwinSlackController {
  private final TwinSlack slack;

  TwinSlackController(TwinSlack slack) {
    this.slack = slack;
  }

  @GetMapping("/rehearsal/slack/messages")
  List<TwinSlack.Message> messages(@RequestParam(required = false) String site) {
    return slack.messages(site);
  }
}
