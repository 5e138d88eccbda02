package org.lsst.ts.upgrade.rehearsal;

import java.util.List;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The twin's Slack: the messages it received ({@code GET /rehearsal/slack/messages?site=summit}, as
 * they read now), the answers sent to clicks' response URLs ({@code GET /rehearsal/slack/responses}),
 * and a person's click on a message's button ({@code POST /rehearsal/slack/click}).
 */
@RestController
@Profile("rehearsal")
class TwinSlackController {
  private final TwinSlack slack;
  private final TwinSlackClicks clicks;

  TwinSlackController(TwinSlack slack, TwinSlackClicks clicks) {
    this.slack = slack;
    this.clicks = clicks;
  }

  /** A click on a button, as the Slack user {@code slackUser} (e.g. UOPERATOR). */
  record ClickRequest(String site, String messageTs, String actionId, String slackUser) {}

  @GetMapping("/rehearsal/slack/messages")
  List<TwinSlack.Message> messages(@RequestParam(required = false) String site) {
    return slack.messages(site);
  }

  @GetMapping("/rehearsal/slack/responses")
  List<TwinSlack.Response> responses() {
    return slack.responses();
  }

  @PostMapping("/rehearsal/slack/click")
  TwinSlackClicks.Click click(@RequestBody ClickRequest r) {
    return clicks.click(r.site(), r.messageTs(), r.actionId(), r.slackUser());
  }
}
