{{/*
Names. The name label is fixed to the chart name: policy and selectors recognise atlas pods
by `app.kubernetes.io/name: bijux-atlas`, so it cannot be overridden.
*/}}
{{- define "bijux-atlas.name" -}}
{{- .Chart.Name -}}
{{- end -}}

{{- define "bijux-atlas.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "bijux-atlas.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bijux-atlas.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "bijux-atlas.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "bijux-atlas.secretName" -}}
{{- if .Values.store.credentials.existingSecret -}}
{{- .Values.store.credentials.existingSecret -}}
{{- else -}}
{{- printf "%s-store" (include "bijux-atlas.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Selector labels: stable across upgrades (never include the version). */}}
{{- define "bijux-atlas.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bijux-atlas.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "bijux-atlas.labels" -}}
helm.sh/chart: {{ include "bijux-atlas.chart" . }}
{{ include "bijux-atlas.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bijux-atlas
{{- end -}}

{{/* Server pods are told apart from Job pods by component. Usage: include "bijux-atlas.componentLabels" (list . "server") */}}
{{- define "bijux-atlas.componentSelectorLabels" -}}
{{ include "bijux-atlas.selectorLabels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "bijux-atlas.componentLabels" -}}
{{ include "bijux-atlas.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* Image reference: repository[:tag][@digest]. No tag and no digest, or tag "latest", is refused. */}}
{{- define "bijux-atlas.image" -}}
{{- $img := .Values.image -}}
{{- if eq (toString $img.tag) "latest" -}}
{{- fail "image.tag: \"latest\" is not allowed; pin image.digest (sha256:...) and optionally a release tag" -}}
{{- end -}}
{{- if and (not $img.tag) (not $img.digest) -}}
{{- fail "image: neither image.tag nor image.digest is set; set image.digest (sha256:<64 hex>) to pin the image" -}}
{{- end -}}
{{- $ref := $img.repository -}}
{{- if $img.tag }}{{ $ref = printf "%s:%s" $ref $img.tag }}{{ end -}}
{{- if $img.digest }}{{ $ref = printf "%s@%s" $ref $img.digest }}{{ end -}}
{{- $ref -}}
{{- end -}}

{{/*
Bytes of a Kubernetes quantity (binary Ki..Ei and decimal k..E suffixes; the schema admits
only those forms). Returned as a decimal string; compare with `float64`.
*/}}
{{- define "bijux-atlas.bytes" -}}
{{- $q := toString . -}}
{{- $num := regexFind "^[0-9]+(\\.[0-9]+)?" $q -}}
{{- $suffix := trimPrefix $num $q -}}
{{- $mult := dict "" 1.0 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 -}}
{{- if not (hasKey $mult $suffix) -}}
{{- fail (printf "%q is not a storage quantity (use e.g. 512Mi, 8Gi or a byte count)" $q) -}}
{{- end -}}
{{- printf "%.0f" (mulf (float64 $num) (index $mult $suffix)) -}}
{{- end -}}

{{/*
Render-time guards that JSON schema cannot express: the ephemeral-storage budget and the
cache cap. Included once, from the ConfigMap, which every install renders.
*/}}
{{- define "bijux-atlas.validate" -}}
{{- $limit := index .Values.resources.limits "ephemeral-storage" -}}
{{- $limitBytes := float64 (include "bijux-atlas.bytes" $limit) -}}
{{- $tmpBytes := float64 (include "bijux-atlas.bytes" .Values.cache.tmpSize) -}}
{{- if .Values.nodeLocalSsdProfile.enabled -}}
{{- if gt $tmpBytes $limitBytes -}}
{{- fail (printf "ephemeral-storage budget: cache.tmpSize (%s) exceeds resources.limits.ephemeral-storage (%s); raise the limit or shrink /tmp" .Values.cache.tmpSize $limit) -}}
{{- end -}}
{{- if gt (float64 .Values.cache.maxDiskBytes) (float64 (include "bijux-atlas.bytes" .Values.nodeLocalSsdProfile.size)) -}}
{{- fail (printf "cache.maxDiskBytes (%d) exceeds nodeLocalSsdProfile.size (%s): the server would fill the volume before its own cap" (int64 .Values.cache.maxDiskBytes) .Values.nodeLocalSsdProfile.size) -}}
{{- end -}}
{{- else -}}
{{- $cacheBytes := float64 (include "bijux-atlas.bytes" .Values.cache.diskSize) -}}
{{- if gt (addf $cacheBytes $tmpBytes) $limitBytes -}}
{{- fail (printf "ephemeral-storage budget: cache.diskSize (%s) + cache.tmpSize (%s) exceed resources.limits.ephemeral-storage (%s); the emptyDir size limits must fit within the container's ephemeral-storage limit" .Values.cache.diskSize .Values.cache.tmpSize $limit) -}}
{{- end -}}
{{- if gt (float64 .Values.cache.maxDiskBytes) $cacheBytes -}}
{{- fail (printf "cache.maxDiskBytes (%d) exceeds cache.diskSize (%s): kubelet would evict the pod before the server's own cap is reached" (int64 .Values.cache.maxDiskBytes) .Values.cache.diskSize) -}}
{{- end -}}
{{- end -}}
{{- if and .Values.store.credentials.create .Values.store.credentials.existingSecret -}}
{{- fail "store.credentials: set either create (with accessKey/secretKey) or existingSecret, not both" -}}
{{- end -}}
{{- end -}}

{{/* Security context of every atlas container: the Pod Security Standard "restricted" plus a read-only root. */}}
{{- define "bijux-atlas.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "bijux-atlas.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Store credentials, only ever by secretKeyRef. */}}
{{- define "bijux-atlas.storeCredentialEnv" -}}
{{- if or .Values.store.credentials.create .Values.store.credentials.existingSecret }}
- name: ATLAS_STORE_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "bijux-atlas.secretName" . }}
      key: ATLAS_STORE_ACCESS_KEY
- name: ATLAS_STORE_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "bijux-atlas.secretName" . }}
      key: ATLAS_STORE_SECRET_KEY
{{- end }}
{{- end -}}

{{/* The /tmp volume: a bounded emptyDir in every pod. */}}
{{- define "bijux-atlas.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.cache.tmpSize }}
{{- end -}}

{{/* The /cache volume: bounded emptyDir, or a per-pod PVC on node-local SSD. */}}
{{- define "bijux-atlas.cacheVolume" -}}
- name: cache
{{- if .Values.nodeLocalSsdProfile.enabled }}
  ephemeral:
    volumeClaimTemplate:
      metadata:
        labels:
          {{- include "bijux-atlas.componentLabels" (list . "cache") | nindent 10 }}
      spec:
        accessModes: ["ReadWriteOnce"]
        storageClassName: {{ .Values.nodeLocalSsdProfile.storageClassName }}
        resources:
          requests:
            storage: {{ .Values.nodeLocalSsdProfile.size }}
{{- else }}
  emptyDir:
    sizeLimit: {{ .Values.cache.diskSize }}
{{- end }}
{{- end -}}

{{/* Pod annotations that roll pods when the runtime config or the created Secret changes. */}}
{{- define "bijux-atlas.checksumAnnotations" -}}
checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if .Values.store.credentials.create }}
checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end -}}
