package org.lsst.ts.upgrade.site;

import java.util.List;
import java.util.Locale;
import org.lsst.ts.upgrade.site.Site.Behaviour;
import org.lsst.ts.upgrade.site.Site.Csc;
import org.lsst.ts.upgrade.site.Site.Host;

/** Fills what a site file may leave out, so the rest of the code never sees a null list. */
final class SiteDefaults {
  private SiteDefaults() {}

  static Site apply(Site s) {
    var k = s.kubernetes();
    var argo = s.argocd();
    var endpoints = s.endpoints();
    if (endpoints != null && endpoints.kafkaTopicSubname() == null) {
      endpoints = new Site.Endpoints(endpoints.love(), endpoints.argocd(), endpoints.chronograf(),
          endpoints.nublado(), endpoints.schemaRegistry(), endpoints.kafkaBootstrap(), "sal",
          endpoints.kubernetesApiUrl());
    }
    if (k != null) {
      k = new Site.Kubernetes(k.context(), list(k.cscNamespaces()), or(k.loveNamespace(), "love"),
          or(k.uwsNamespace(), "uws"), k.uwsJobSelector(),
          or(k.nubladoUsersSelector(), "argocd.argoproj.io/instance=nublado-users"));
    }
    if (argo != null) {
      argo = new Site.ArgoCdApps(or(argo.parentApp(), "science-platform"), or(argo.nubladoApp(), "nublado"),
          or(argo.sasquatchApp(), "sasquatch"), or(argo.telescopeProject(), "telescope"),
          list(argo.telescopeApps()), list(argo.firstTelescopeApps()));
    }
    List<Csc> cscs = list(s.cscs()).stream().map(SiteDefaults::csc).toList();
    List<Host> hosts = list(s.hosts()).stream().map(SiteDefaults::host).toList();
    var mt = s.minimalTesting() == null
        ? new Site.MinimalTesting(true, List.of("auxtel", "maintel"))
        : new Site.MinimalTesting(s.minimalTesting().takesImages(),
            s.minimalTesting().telescopes() == null ? List.of("auxtel", "maintel")
                : List.copyOf(s.minimalTesting().telescopes()));
    return new Site(s.id(), s.displayName(), endpoints, s.credentials(), s.slack(), k, argo, cscs, hosts,
        list(s.enabledOnStart()), list(s.enableAtEnd()), mt, list(s.chronografDashboards()),
        s.loveSummaryView(), s.m2ClosedLoopBeforeShutdown(), s.enableAllAfterRecovery());
  }

  private static Csc csc(Csc c) {
    if (c == null || c.id() == null) {
      return c;
    }
    String app = c.app() != null ? c.app() : c.namespace();
    // csc-class is the component in lower case (electrometer101 -> electrometer; every ESS -> ess)
    String cls = c.cscClass() != null ? c.cscClass() : c.id().component().toLowerCase(Locale.ROOT);
    return new Csc(c.id(), c.namespace(), app, cls, c.host(),
        c.behaviour() == null ? Behaviour.NORMAL : c.behaviour(), c.holdState(), c.note());
  }

  private static Host host(Host h) {
    if (h == null) {
      return null;
    }
    return new Host(h.name(), h.hostname(), h.port() == 0 ? 22 : h.port(), h.user(), h.role(), list(h.cscs()),
        list(h.shutdown()), list(h.startup()), list(h.repos()), h.update(), list(h.rebuild()), h.note());
  }

  static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : List.copyOf(l);
  }

  private static String or(String v, String d) {
    return v == null ? d : v;
  }
}
