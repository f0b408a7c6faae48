{{/*
The server pod template, shared by the Deployment and the Argo Rollout so the two can never
drift apart.
*/}}
{{- define "bijux-atlas.serverPodTemplate" -}}
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
  {{- $nodeSelector := merge (dict) .Values.server.nodeSelector (ternary .Values.nodeLocalSsdProfile.nodeSelector (dict) .Values.nodeLocalSsdProfile.enabled) }}
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
  {{- if .Values.cache.initPrewarm.enabled }}
  initContainers:
    - name: prewarm
      image: {{ include "bijux-atlas.image" . }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      command:
        {{- toYaml .Values.cache.initPrewarm.command | nindent 8 }}
      envFrom:
        - configMapRef:
            name: {{ include "bijux-atlas.fullname" . }}
      {{- with include "bijux-atlas.storeCredentialEnv" . }}
      env:
        {{- . | indent 8 }}
      {{- end }}
      securityContext:
        {{- include "bijux-atlas.containerSecurityContext" . | nindent 8 }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      volumeMounts:
        - name: cache
          mountPath: /cache
        - name: tmp
          mountPath: /tmp
  {{- end }}
  containers:
    - name: server
      image: {{ include "bijux-atlas.image" . }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      command: ["/app/bijux-atlas"]
      args: ["atlas", "serve"]
      ports:
        - name: http
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
          path: /readyz
          port: http
        {{- toYaml .Values.server.startupProbe | nindent 8 }}
      readinessProbe:
        httpGet:
          path: /readyz
          port: http
        {{- toYaml .Values.server.readinessProbe | nindent 8 }}
      livenessProbe:
        httpGet:
          path: /healthz
          port: http
        {{- toYaml .Values.server.livenessProbe | nindent 8 }}
      securityContext:
        {{- include "bijux-atlas.containerSecurityContext" . | nindent 8 }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      volumeMounts:
        - name: cache
          mountPath: /cache
        - name: tmp
          mountPath: /tmp
  volumes:
    {{- include "bijux-atlas.cacheVolume" . | nindent 4 }}
    {{- include "bijux-atlas.tmpVolume" . | nindent 4 }}
{{- end -}}

{{/*
Pod template of the Jobs (warm-up, catalog publish): same security and resource contract,
/tmp only. Usage: include "bijux-atlas.jobPodTemplate" (dict "root" . "component" "x" "command" list "args" list "env" list)
*/}}
{{- define "bijux-atlas.jobPodTemplate" -}}
{{- $root := .root -}}
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
    - name: {{ .component }}
      image: {{ include "bijux-atlas.image" $root }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      command:
        {{- toYaml .command | nindent 8 }}
      {{- with .args }}
      args:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      envFrom:
        - configMapRef:
            name: {{ include "bijux-atlas.fullname" $root }}
      {{- $credentials := include "bijux-atlas.storeCredentialEnv" $root }}
      {{- if or .env $credentials }}
      env:
        {{- with .env }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- $credentials | indent 8 }}
      {{- end }}
      securityContext:
        {{- include "bijux-atlas.containerSecurityContext" $root | nindent 8 }}
      resources:
        {{- toYaml .resources | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    {{- include "bijux-atlas.tmpVolume" $root | nindent 4 }}
{{- end -}}
