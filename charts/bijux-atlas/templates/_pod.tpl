{{/*
The server pod template, shared by the Deployment and the Argo Rollout so the two can never
drift apart. The server takes all of its config from the ConfigMap (and the bearer token from
the Secret); the pinned binary has no subcommands.
*/}}
{{- define "bijux-atlas.serverPodTemplate" -}}
{{- $c := include "bijux-atlas.contract" . | fromJson -}}
metadata:
  labels:
    {{- with .Values.server.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- include "bijux-atlas.componentLabels" (list . "server") | nindent 4 }}
  annotations:
    {{- include "bijux-atlas.checksumAnnotations" . | nindent 4 }}
    {{- with .Values.server.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "bijux-atlas.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
  # Service links would add ATLAS_*/BIJUX_* variables the server refuses at start.
  enableServiceLinks: false
  terminationGracePeriodSeconds: {{ .Values.server.terminationGracePeriodSeconds }}
  securityContext:
    {{- include "bijux-atlas.podSecurityContext" . | nindent 4 }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  {{- with .Values.server.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- $nodeSelector := merge (dict) .Values.server.nodeSelector (ternary (dict .Values.nodeLocalSsdProfile.nodeLabel "true") (dict) .Values.nodeLocalSsdProfile.enabled) }}
  {{- with $nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.server.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.server.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.server.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ $c.containers.server }}
      image: {{ include "bijux-atlas.image" . }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      command: [{{ $c.binaries.server | quote }}]
      ports:
        - name: {{ $c.httpPortName }}
          containerPort: {{ .Values.server.port }}
          protocol: TCP
      envFrom:
        - configMapRef:
            name: {{ include "bijux-atlas.fullname" . }}
      {{- with include "bijux-atlas.storeCredentialEnv" . }}
      env:
        {{- . | indent 8 }}
      {{- end }}
      startupProbe:
        httpGet:
          path: {{ $c.probePaths.startup }}
          port: {{ $c.httpPortName }}
        {{- toYaml .Values.server.startupProbe | nindent 8 }}
      readinessProbe:
        httpGet:
          path: {{ $c.probePaths.readiness }}
          port: {{ $c.httpPortName }}
        {{- toYaml .Values.server.readinessProbe | nindent 8 }}
      livenessProbe:
        httpGet:
          path: {{ $c.probePaths.liveness }}
          port: {{ $c.httpPortName }}
        {{- toYaml .Values.server.livenessProbe | nindent 8 }}
      securityContext:
        {{- include "bijux-atlas.containerSecurityContext" . | nindent 8 }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      volumeMounts:
        - name: cache
          mountPath: {{ $c.paths.cache }}
        - name: tmp
          mountPath: {{ $c.paths.tmp }}
        {{- if .Values.store.existingClaim }}
        - name: store
          mountPath: {{ $c.paths.store }}
          readOnly: true
        {{- end }}
  volumes:
    {{- include "bijux-atlas.cacheVolume" . | nindent 4 }}
    {{- include "bijux-atlas.tmpVolume" . | nindent 4 }}
    {{- with include "bijux-atlas.storeVolume" (list . true) }}
    {{- . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/*
Pod template of the Jobs (warm-up, catalog publish): the same security and resource contract,
/tmp and the store claim (read-only unless the Job writes it), plus the Job's config files.
Usage: include "bijux-atlas.jobPodTemplate" (dict "root" . "component" "x" "containers" (list (dict "name" "n" "args" list)) "storeReadOnly" true "configMap" "name-or-empty" "resources" dict)
*/}}
{{- define "bijux-atlas.jobPodTemplate" -}}
{{- $root := .root -}}
{{- $c := include "bijux-atlas.contract" $root | fromJson -}}
{{- $job := . -}}
metadata:
  labels:
    {{- include "bijux-atlas.componentLabels" (list $root .component) | nindent 4 }}
  annotations:
    {{- include "bijux-atlas.checksumAnnotations" $root | nindent 4 }}
spec:
  restartPolicy: Never
  serviceAccountName: {{ include "bijux-atlas.serviceAccountName" $root }}
  automountServiceAccountToken: false
  enableServiceLinks: false
  securityContext:
    {{- include "bijux-atlas.podSecurityContext" $root | nindent 4 }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  containers:
    {{- range .containers }}
    - name: {{ .name }}
      image: {{ include "bijux-atlas.image" $root }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      command: [{{ $c.binaries.cli | quote }}]
      args:
        {{- toYaml .args | nindent 8 }}
      securityContext:
        {{- include "bijux-atlas.containerSecurityContext" $root | nindent 8 }}
      resources:
        {{- toYaml $job.resources | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: {{ $c.paths.tmp }}
        - name: store
          mountPath: {{ $c.paths.store }}
          readOnly: {{ $job.storeReadOnly }}
        {{- if $job.configMap }}
        - name: config
          mountPath: {{ $c.paths.jobConfig }}
          readOnly: true
        {{- end }}
    {{- end }}
  volumes:
    {{- include "bijux-atlas.tmpVolume" $root | nindent 4 }}
    {{- with include "bijux-atlas.storeVolume" (list $root .storeReadOnly) }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- if .configMap }}
    - name: config
      configMap:
        name: {{ .configMap }}
    {{- end }}
{{- end -}}
