package org.lsst.ts.upgrade.runbook.runs;

import org.lsst.ts.upgrade.chat.SlackReplayGuard;
import org.lsst.ts.upgrade.chat.SlackRequests;
import org.lsst.ts.upgrade.runbook.notices.TaskMessages;
import org.lsst.ts.upgrade.site.Sites;
import com.slack.api.app_backend.slash_commands.SlashCommandPayloadParser;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.lsst.ts.upgrade.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Slack slash command ({@code /upgrade ...}): starts runs and reports their state. Slack
 * cannot send HTTP Basic, so this endpoint authenticates the request by its Slack signature
 * (HMAC-SHA256 of the raw body with the app's signing secret, timestamp at most 5 minutes old and
 * at most 30 s ahead, each signature accepted once: {@link SlackReplayGuard}) and
 * acts as the orchestrator user the Slack user is mapped to. Answers at once (Slack waits 3 s).
 */
@RestController
class SlashCommandController {
  private static final Logger log = LoggerFactory.getLogger(SlashCommandController.class);

  private static final String HELP = String.join("\n",
      "Usage:",
      "• `/upgrade full-upgrade <site> cycle=\"Cycle 40\" breaking=true|false phalanx=<branch or PR> [dco=<docker-compose-ops branch>] [lit=<LOVE-integration-tools branch>]`",
      "• `/upgrade incremental-upgrade <site> cycle=\"Cycle 40\" revision=\"Revision 2\" cscs=ATDome,ESS:201 breaking=false`",
      "• `/upgrade os-k8s-recovery <site>`",
      "• `/upgrade minimal-testing <site> telescopes=auxtel,maintel`",
      "• `/upgrade status <run id>`",
      "• `/upgrade plan <process> <site> ...`: the run's plan, without starting it (same keys as above)",
      "• `/upgrade tasks [site]`: the open tasks of the site's active run (every site's without one), with their buttons",
      "Sites: summit, tts, bts. Tasks are completed from their message in the site's channel, or in Camunda Tasklist.");

  private final SlackRequests slack;
  private final Runs runs;
  private final DryRuns dryRuns;
  private final TaskMessages messages;
  private final Sites sites;
  private final SlashCommandPayloadParser parser = new SlashCommandPayloadParser();

  SlashCommandController(SlackRequests slack, Runs runs, DryRuns dryRuns, TaskMessages messages, Sites sites) {
    this.slack = slack;
    this.runs = runs;
    this.dryRuns = dryRuns;
    this.messages = messages;
    this.sites = sites;
  }

  @PostMapping(path = "/slack/commands", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> command(HttpServletRequest request) throws IOException {
    String body;
    try {
      body = slack.verifiedBody(request);
    } catch (SlackRequests.Refused e) {
      return reject(e.status(), e.getMessage());
    }
    SlashCommandPayload payload = parser.parse(body);
    String user = slack.userOf(payload.getUserId()).orElse(null);
    if (user == null) {
      log.warn("Slash command from unmapped Slack user {} ({})", payload.getUserId(), payload.getUserName());
      return reply("ephemeral", "You (" + payload.getUserName() + ", " + payload.getUserId() + ") are not mapped to an "
          + "orchestrator user. Ask an admin to add you under upgrade.slack.slash-command.users.");
    }
    return reply(payload, user);
  }

  private ResponseEntity<Map<String, Object>> reply(SlashCommandPayload payload, String user) {
    List<String> tokens;
    try {
      tokens = SlashCommandText.tokens(payload.getText());
    } catch (IllegalArgumentException e) {
      return reply("ephemeral", "Could not read the command: " + e.getMessage() + "\n" + HELP);
    }
    if (tokens.isEmpty() || tokens.get(0).equals("help")) {
      return reply("ephemeral", HELP);
    }
    try {
      if (tokens.get(0).equals("status")) {
        if (tokens.size() != 2) {
          return reply("ephemeral", "Say which run: `/upgrade status <run id>`");
        }
        RunStatus s = runs.status(tokens.get(1));
        return reply("ephemeral", "Run " + tokens.get(1) + ": " + s.state()
            + (s.incidents().isEmpty() ? "" : ", " + s.incidents().size() + " incident(s) to resolve in Cockpit")
            + (s.tasks().isEmpty() ? "" : ", " + s.tasks().size() + " task(s) waiting in Tasklist"));
      }
      if (tokens.get(0).equals("tasks")) {
        return tasks(tokens.subList(1, tokens.size()));
      }
      if (tokens.get(0).equals("plan")) {
        return plan(tokens.subList(1, tokens.size()), user);
      }
      Runs.Started started = runs.start(SlashCommandText.runRequest(tokens), user);
      log.info("Run {} started from Slack by {} (Slack {})", started.runId(), user, payload.getUserId());
      return reply("in_channel", "Run *" + started.runId() + "* started by " + user
          + ". Follow it with `/upgrade status " + started.runId() + "`; tasks appear in Tasklist.");
    } catch (IllegalArgumentException e) {
      return reply("ephemeral", "Not started: " + e.getMessage() + "\n" + HELP);
    } catch (ApiException e) {
      return reply("ephemeral", "Not started: " + e.getMessage());
    } catch (AuthorizationException e) {
      return reply("ephemeral", "Not started: user " + user + " is not allowed to start this run (operators may).");
    }
  }

  /** {@code /upgrade plan <process> <site> ...}: the plan as text, to the person only; nothing is started. */
  private ResponseEntity<Map<String, Object>> plan(List<String> tokens, String user) {
    try {
      RunPlanner.Plan p = dryRuns.plan(SlashCommandText.runRequest(tokens), user);
      return reply("ephemeral", "```\n" + p.text() + "```\nNothing was started. Start it with `/upgrade "
          + String.join(" ", tokens.stream().map(t -> t.contains(" ") ? t.replaceFirst("=", "=\"") + "\"" : t).toList())
          + "`.");
    } catch (IllegalArgumentException e) {
      return reply("ephemeral", "No plan: " + e.getMessage() + "\n" + HELP);
    } catch (ApiException e) {
      return reply("ephemeral", "No plan: " + e.getMessage());
    }
  }

  /** Slack shows at most 50 blocks in a message; a task takes two. */
  static final int MAX_TASKS_LISTED = 24;

  /**
   * {@code /upgrade tasks [site]}: the open tasks of the site's active run (every site's without
   * one) as their channel messages show them, buttons included, to the person only.
   */
  private ResponseEntity<Map<String, Object>> tasks(List<String> args) {
    if (args.size() > 1) {
      return reply("ephemeral", "Say at most one site: `/upgrade tasks [site]`");
    }
    if (args.size() == 1 && sites.find(args.get(0)).isEmpty()) {
      return reply("ephemeral", "No site '" + args.get(0) + "': known " + sites.ids());
    }
    List<String> which = args.isEmpty() ? List.copyOf(sites.ids()) : args;
    List<Map<String, Object>> blocks = new java.util.ArrayList<>();
    int open = 0;
    for (String site : which) {
      String runId = runs.activeRunId(site).orElse(null);
      if (runId == null) {
        continue;
      }
      for (RunStatus.OpenTask t : runs.status(runId).tasks()) {
        open++;
        if (open <= MAX_TASKS_LISTED) {
          blocks.addAll(messages.blocksOfOpenTask(t.id(), runId));
        }
      }
    }
    String where = args.isEmpty() ? "any site" : args.get(0);
    if (open == 0) {
      return reply("ephemeral", "No open tasks at " + where + ".");
    }
    String text = open + " open task(s) at " + where + (open > MAX_TASKS_LISTED ? " (the first "
        + MAX_TASKS_LISTED + " shown; the others in Tasklist)" : "") + ".";
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("response_type", "ephemeral");
    body.put("text", text);
    body.put("blocks", blocks);
    return ResponseEntity.ok(body);
  }

  private static ResponseEntity<Map<String, Object>> reply(String type, String text) {
    return ResponseEntity.ok(Map.of("response_type", type, "text", text));
  }

  private static ResponseEntity<Map<String, Object>> reject(HttpStatus status, String why) {
    log.warn("Slash command refused: {}", why);
    return ResponseEntity.status(status).body(Map.of("error", why));
  }
}
