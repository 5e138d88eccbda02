{{/* Name of the chart's objects */}}
{{- define "upgrade-orchestrator.fullname" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Common labels */}}
{{- define "upgrade-orchestrator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "upgrade-orchestrator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels */}}
{{- define "upgrade-orchestrator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The site file this deployment serves, as text (fails when the site is unset or unknown) */}}
{{- define "upgrade-orchestrator.siteFile" -}}
{{- $site := required "site must name the site this deployment serves (summit, tts or bts)" .Values.site -}}
{{- $file := .Files.Get (printf "sites/%s.yaml" $site) -}}
{{- if not $file -}}
{{- fail (printf "site %q has no site file sites/%s.yaml in the chart" $site $site) -}}
{{- end -}}
{{- $file -}}
{{- end -}}

{{/*
The namespaces whose objects the clean-up lists and deletes: the site's kubernetes.csc-namespaces,
love-namespace and uws-namespace (defaults as in the application's SiteDefaults), as a JSON list.
*/}}
{{- define "upgrade-orchestrator.cleanupNamespaces" -}}
{{- $site := include "upgrade-orchestrator.siteFile" . | fromYaml -}}
{{- $k := required "the site file has no kubernetes section" (index $site "kubernetes") -}}
{{- $namespaces := concat (index $k "csc-namespaces" | default list) (list (index $k "love-namespace" | default "love") (index $k "uws-namespace" | default "uws")) | uniq -}}
{{- toJson $namespaces -}}
{{- end -}}

{{/* Mount points inside the container */}}
{{- define "upgrade-orchestrator.sitesDir" -}}/etc/upgrade-orchestrator/sites{{- end -}}
{{- define "upgrade-orchestrator.configDir" -}}/etc/upgrade-orchestrator/config{{- end -}}
{{- define "upgrade-orchestrator.sshDir" -}}/etc/upgrade-orchestrator/ssh{{- end -}}
