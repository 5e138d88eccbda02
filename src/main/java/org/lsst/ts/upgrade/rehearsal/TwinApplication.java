package org.lsst.ts.upgrade.rehearsal;

import org.camunda.bpm.spring.boot.starter.CamundaBpmAutoConfiguration;
import org.camunda.bpm.spring.boot.starter.rest.CamundaBpmRestJerseyAutoConfiguration;
import org.camunda.bpm.spring.boot.starter.webapp.CamundaBpmWebappAutoConfiguration;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.sql.init.SqlInitializationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Profile;

/**
 * The rehearsal twin alone, in its own process: every simulated site (LOVE, Argo CD, Kubernetes,
 * Kafka and the schema registry, SSH hosts, Slack) and its control API, with no engine, no database
 * and no autopilot. It writes each site's file, the SSH key and known_hosts, and the environment an
 * orchestrator needs into {@code upgrade.twin.out-dir} ({@link TwinSiteFiles}); an orchestrator in a
 * production profile started with that environment reaches the twin as it reaches a real site.
 * Started from the same jar (see docs/rehearsal.md):
 * {@code java -Dloader.main=org.lsst.ts.upgrade.rehearsal.TwinApplication -cp upgrade-orchestrator.jar
 * org.springframework.boot.loader.launch.PropertiesLauncher}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = {CamundaBpmAutoConfiguration.class, CamundaBpmRestJerseyAutoConfiguration.class,
    CamundaBpmWebappAutoConfiguration.class, DataSourceAutoConfiguration.class,
    DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
    SqlInitializationAutoConfiguration.class})
@ComponentScan(basePackageClasses = TwinApplication.class, excludeFilters = @ComponentScan.Filter(
    type = FilterType.ASSIGNABLE_TYPE,
    // the people (autopilot) and the control API's engine-user check belong to the orchestrator
    classes = {Autopilot.class, AutopilotController.class, AutopilotPeople.class, RehearsalControlAccess.class,
        TwinApplication.class}))
// the API's error answers (ApiException -> status and message), as on the orchestrator
@ComponentScan(basePackages = "org.lsst.ts.upgrade", useDefaultFilters = false, includeFilters = @ComponentScan.Filter(
    type = FilterType.REGEX, pattern = "org\\.lsst\\.ts\\.upgrade\\.ApiErrors"))
// the orchestrator's component scan finds this class too: only the twin's own start uses it
@Profile(TwinApplication.PROFILE)
@EnableConfigurationProperties({SiteProperties.class, RehearsalProperties.class, TwinProperties.class})
public class TwinApplication {
  /** The profile of the standalone twin (with {@code rehearsal}, which the twin's beans need). */
  public static final String PROFILE = "twin";

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(TwinApplication.class);
    app.setAdditionalProfiles("rehearsal", PROFILE);
    app.run(args);
  }
}
