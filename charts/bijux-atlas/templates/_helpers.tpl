{{/*
Names. The name label is fixed to the chart name: policy and selectors recognise atlas pods
by `app.kubernetes.io/name: bijux-atlas`, so it cannot be overridden.
*/}}
{{- define "bijux-atlas.name" -}}
{{- (include "bijux-atlas.contract" . | fromJson).atlasName -}}
{{- end -}}

{{- define "bijux-atlas.fullname" -}}
{{- $name := include "bijux-atlas.name" . -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
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

{{/* The Secret holding the store's bearer token: the created one, or the named existing one. */}}
{{- define "bijux-atlas.secretName" -}}
{{- if .Values.store.credentials.existingSecret -}}
{{- .Values.store.credentials.existingSecret -}}
{{- else -}}
{{- printf "%s-store" (include "bijux-atlas.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Selector labels: stable across upgrades (never include the version). */}}
{{- define "bijux-atlas.selectorLabels" -}}
{{- $c := include "bijux-atlas.contract" . | fromJson -}}
{{ $c.labels.name }}: {{ include "bijux-atlas.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "bijux-atlas.labels" -}}
{{- $c := include "bijux-atlas.contract" . | fromJson -}}
helm.sh/chart: {{ include "bijux-atlas.chart" . }}
{{ include "bijux-atlas.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{ $c.labels.partOf }}: {{ $c.atlasName }}
{{- end -}}

{{/* Server pods are told apart from Job pods by component. Usage: include "bijux-atlas.componentLabels" (list . "server") */}}
{{- define "bijux-atlas.componentSelectorLabels" -}}
{{- $c := include "bijux-atlas.contract" (index . 0) | fromJson -}}
{{ include "bijux-atlas.selectorLabels" (index . 0) }}
{{ $c.labels.component }}: {{ index . 1 }}
{{- end -}}

{{- define "bijux-atlas.componentLabels" -}}
{{- $c := include "bijux-atlas.contract" (index . 0) | fromJson -}}
{{ include "bijux-atlas.labels" (index . 0) }}
{{ $c.labels.component }}: {{ index . 1 }}
{{- end -}}

{{/* Image reference: repository[:tag][@digest]. No tag and no digest, or a moving tag (the contract's refusedTags), is refused. */}}
{{- define "bijux-atlas.image" -}}
{{- $c := include "bijux-atlas.contract" . | fromJson -}}
{{- $img := .Values.image -}}
{{- if has (toString $img.tag) $c.image.refusedTags -}}
{{- fail (printf "image.tag: %q is a moving tag and not allowed (refused: %s); pin image.digest (sha256:...) and optionally a release tag" (toString $img.tag) (join ", " $c.image.refusedTags)) -}}
{{- end -}}
{{- if and (not $img.tag) (not $img.digest) -}}
{{- fail "image: neither image.tag nor image.digest is set; set image.digest (sha256:<64 hex>) to pin the image" -}}
{{- end -}}
{{- $ref := $img.repository -}}
{{- if $img.tag }}{{ $ref = printf "%s:%s" $ref (toString $img.tag) }}{{ end -}}
{{- if $img.digest }}{{ $ref = printf "%s@%s" $ref $img.digest }}{{ end -}}
{{- $ref -}}
{{- end -}}

{{/*
Value of a Kubernetes quantity (binary Ki..Ei, decimal k..E and milli m suffixes; the schema
admits only those forms), as a decimal string; compare with `float64`.
*/}}
{{- define "bijux-atlas.quantity" -}}
{{- $q := toString . -}}
{{- $num := regexFind "^[0-9]*(\\.[0-9]+)?" $q -}}
{{- $suffix := trimPrefix $num $q -}}
{{- $mult := dict "" 1.0 "m" 0.001 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 -}}
{{- if not (hasKey $mult $suffix) -}}
{{- fail (printf "%q is not a Kubernetes quantity (use e.g. 512Mi, 8Gi, 500m or a plain number)" $q) -}}
{{- end -}}
{{- printf "%f" (mulf (float64 $num) (index $mult $suffix)) -}}
{{- end -}}

{{- define "bijux-atlas.cacheOnEmptyDir" -}}
{{- if and (not .Values.nodeLocalSsdProfile.enabled) (not .Values.cache.existingClaim) }}true{{ end -}}
{{- end -}}

{{/*
Render-time guards over several values (config/chartConstraints.ts states each rule once; the
stack config checks the same ones): what the server would refuse or never get ready with, and
the storage budget. Included once, from the ConfigMap, which every install renders.
*/}}
{{- define "bijux-atlas.validate" -}}
{{- $v := .Values -}}
{{- if and $v.store.url $v.store.existingClaim -}}
{{- fail "store: set either store.url (an HTTP store) or store.existingClaim (a mounted store), not both" -}}
{{- end -}}
{{- if and (not $v.server.cachedOnlyMode) (not $v.store.url) (not $v.store.existingClaim) -}}
{{- fail "store: set store.url (the store's base URL) or store.existingClaim; without server.cachedOnlyMode the server is ready only once it has read the store's catalog" -}}
{{- end -}}
{{- if and $v.server.cachedOnlyMode $v.networkPolicy.egressCidrs -}}
{{- fail "networkPolicy.egressCidrs must be empty while server.cachedOnlyMode is true: cached-only serving never fetches, and the offline contract allows no store egress" -}}
{{- end -}}
{{- if and $v.store.url $v.networkPolicy.enabled (not $v.networkPolicy.egressCidrs) -}}
{{- fail "networkPolicy.egressCidrs: add a CIDR rule covering store.url's address; the NetworkPolicy denies all other egress" -}}
{{- end -}}
{{- $cred := $v.store.credentials -}}
{{- if and $cred.create $cred.existingSecret -}}
{{- fail "store.credentials: set either create (with bearerToken) or existingSecret, not both" -}}
{{- end -}}
{{- if and $cred.create (not $cred.bearerToken) -}}
{{- fail "store.credentials.bearerToken is required when store.credentials.create is true" -}}
{{- end -}}
{{- if and (not $cred.create) $cred.bearerToken -}}
{{- fail "store.credentials.bearerToken is set but store.credentials.create is false: the token would be ignored" -}}
{{- end -}}
{{- if and (or $cred.create $cred.existingSecret) (not $v.store.url) -}}
{{- fail "store.credentials: credentials need store.url; the server sends its bearer token only to an HTTP store" -}}
{{- end -}}
{{- if and $v.cache.existingClaim $v.nodeLocalSsdProfile.enabled -}}
{{- fail "cache.existingClaim must be empty while nodeLocalSsdProfile.enabled is true: /cache is either a claim of its own or a node-local SSD" -}}
{{- end -}}
{{- $limit := index $v.resources.limits "ephemeral-storage" -}}
{{- $limitBytes := float64 (include "bijux-atlas.quantity" $limit) -}}
{{- $tmpBytes := float64 (include "bijux-atlas.quantity" $v.cache.tmpSize) -}}
{{- if include "bijux-atlas.cacheOnEmptyDir" . -}}
{{- $cacheBytes := float64 (include "bijux-atlas.quantity" $v.cache.diskSize) -}}
{{- if gt (addf $cacheBytes $tmpBytes) $limitBytes -}}
{{- fail (printf "ephemeral-storage budget: cache.diskSize (%s) + cache.tmpSize (%s) exceed resources.limits.ephemeral-storage (%s); the emptyDir size limits must fit the container's ephemeral-storage limit" $v.cache.diskSize $v.cache.tmpSize $limit) -}}
{{- end -}}
{{- if gt (float64 $v.cache.maxDiskBytes) $cacheBytes -}}
{{- fail (printf "cache.maxDiskBytes (%d) exceeds cache.diskSize (%s): kubelet would evict the pod before the server's own cap is reached" (int64 $v.cache.maxDiskBytes) $v.cache.diskSize) -}}
{{- end -}}
{{- else -}}
{{- if gt $tmpBytes $limitBytes -}}
{{- fail (printf "ephemeral-storage budget: cache.tmpSize (%s) exceeds resources.limits.ephemeral-storage (%s); raise the limit or shrink /tmp" $v.cache.tmpSize $limit) -}}
{{- end -}}
{{- if and $v.nodeLocalSsdProfile.enabled (gt (float64 $v.cache.maxDiskBytes) (float64 (include "bijux-atlas.quantity" $v.nodeLocalSsdProfile.size))) -}}
{{- fail (printf "cache.maxDiskBytes (%d) exceeds nodeLocalSsdProfile.size (%s): the server would fill the volume before its own cap" (int64 $v.cache.maxDiskBytes) $v.nodeLocalSsdProfile.size) -}}
{{- end -}}
{{- end -}}
{{- range $job := list "datasetWarmupJob" "catalogPublishJob" -}}
{{- $j := index $v $job -}}
{{- if and $j.enabled (gt $tmpBytes (float64 (include "bijux-atlas.quantity" (index $j.resources.limits "ephemeral-storage")))) -}}
{{- fail (printf "%s.resources.limits.ephemeral-storage (%s) is below cache.tmpSize (%s), the Job's /tmp emptyDir" $job (index $j.resources.limits "ephemeral-storage") $v.cache.tmpSize) -}}
{{- end -}}
{{- end -}}
{{- if and $v.cache.initPrewarm.enabled (not $v.cache.pinnedDatasets) -}}
{{- fail "cache.pinnedDatasets: at least one dataset is required while cache.initPrewarm.enabled is true" -}}
{{- end -}}
{{- if $v.datasetWarmupJob.enabled -}}
{{- if not $v.cache.pinnedDatasets -}}
{{- fail "cache.pinnedDatasets: at least one dataset is required while datasetWarmupJob.enabled is true (the Job smoke-tests each)" -}}
{{- end -}}
{{- if not $v.store.existingClaim -}}
{{- fail "store.existingClaim is required while datasetWarmupJob.enabled is true: the smoke reads each dataset's files from the mounted store" -}}
{{- end -}}
{{- end -}}
{{- if $v.catalogPublishJob.enabled -}}
{{- if not $v.catalogPublishJob.dataset -}}
{{- fail "catalogPublishJob.dataset (release/species/assembly) is required while catalogPublishJob.enabled is true" -}}
{{- end -}}
{{- if not $v.store.existingClaim -}}
{{- fail "store.existingClaim is required while catalogPublishJob.enabled is true: the Job writes the store's catalog.json" -}}
{{- end -}}
{{- end -}}
{{- if ge (int $v.server.shutdownDrainSeconds) (int $v.server.terminationGracePeriodSeconds) -}}
{{- fail (printf "server.shutdownDrainSeconds (%d) must be less than server.terminationGracePeriodSeconds (%d), or kubelet kills the pod mid-drain" (int $v.server.shutdownDrainSeconds) (int $v.server.terminationGracePeriodSeconds)) -}}
{{- end -}}
{{- $budget := mul (int $v.server.startupProbe.periodSeconds) (int $v.server.startupProbe.failureThreshold) -}}
{{- if le $budget (int $v.cache.warmupJitterSeconds) -}}
{{- fail (printf "server.startupProbe: periodSeconds x failureThreshold (%d s) must exceed cache.warmupJitterSeconds (%d s); the server does not listen during the jitter" $budget (int $v.cache.warmupJitterSeconds)) -}}
{{- end -}}
{{- if gt (int $v.hpa.minReplicas) (int $v.hpa.maxReplicas) -}}
{{- fail (printf "hpa.minReplicas (%d) exceeds hpa.maxReplicas (%d)" (int $v.hpa.minReplicas) (int $v.hpa.maxReplicas)) -}}
{{- end -}}
{{- if and $v.pdb.enabled (kindIs "invalid" $v.pdb.maxUnavailable) (not (kindIs "string" $v.pdb.minAvailable)) -}}
{{- $fewest := ternary $v.hpa.minReplicas $v.server.replicas $v.hpa.enabled -}}
{{- if ge (int $v.pdb.minAvailable) (int $fewest) -}}
{{- fail (printf "pdb.minAvailable (%d) must be below the %d replica(s) that may run, or node drains block forever" (int $v.pdb.minAvailable) (int $fewest)) -}}
{{- end -}}
{{- end -}}
{{- range $r := list "cpu" "memory" "ephemeral-storage" -}}
{{- if gt (float64 (include "bijux-atlas.quantity" (index $v.resources.requests $r))) (float64 (include "bijux-atlas.quantity" (index $v.resources.limits $r))) -}}
{{- fail (printf "resources.requests.%s (%v) exceeds resources.limits.%s (%v)" $r (index $v.resources.requests $r) $r (index $v.resources.limits $r)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Security context of every atlas container: the Pod Security Standard "restricted" plus a read-only root. */}}
{{- define "bijux-atlas.containerSecurityContext" -}}
{{- $c := include "bijux-atlas.contract" . | fromJson -}}
runAsNonRoot: true
runAsUser: {{ $c.runAsUser }}
runAsGroup: {{ $c.runAsGroup }}
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "bijux-atlas.podSecurityContext" -}}
{{- $c := include "bijux-atlas.contract" . | fromJson -}}
runAsNonRoot: true
runAsUser: {{ $c.runAsUser }}
runAsGroup: {{ $c.runAsGroup }}
fsGroup: {{ $c.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The store's bearer token, only ever by secretKeyRef (never envFrom: the server refuses unknown keys). */}}
{{- define "bijux-atlas.storeCredentialEnv" -}}
{{- $c := include "bijux-atlas.contract" . | fromJson -}}
{{- if and .Values.store.url (or .Values.store.credentials.create .Values.store.credentials.existingSecret) }}
- name: {{ $c.env.storeBearer }}
  valueFrom:
    secretKeyRef:
      name: {{ include "bijux-atlas.secretName" . }}
      key: {{ $c.env.storeBearer }}
{{- end }}
{{- end -}}

{{/* The /tmp volume: a bounded emptyDir in every pod. */}}
{{- define "bijux-atlas.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.cache.tmpSize }}
{{- end -}}

{{/* The /cache volume: a bounded emptyDir, a per-pod claim on node-local SSD, or an existing (seeded) claim. */}}
{{- define "bijux-atlas.cacheVolume" -}}
{{- $c := include "bijux-atlas.contract" . | fromJson -}}
- name: cache
{{- if .Values.nodeLocalSsdProfile.enabled }}
  ephemeral:
    volumeClaimTemplate:
      metadata:
        labels:
          {{- include "bijux-atlas.componentLabels" (list . $c.components.cache) | nindent 10 }}
      spec:
        accessModes: ["ReadWriteOnce"]
        storageClassName: {{ .Values.nodeLocalSsdProfile.storageClassName }}
        resources:
          requests:
            storage: {{ .Values.nodeLocalSsdProfile.size }}
{{- else if .Values.cache.existingClaim }}
  persistentVolumeClaim:
    claimName: {{ .Values.cache.existingClaim }}
{{- else }}
  emptyDir:
    sizeLimit: {{ .Values.cache.diskSize }}
{{- end }}
{{- end -}}

{{/* The store claim's volume (store.existingClaim). Usage: include "bijux-atlas.storeVolume" (list . readOnly) */}}
{{- define "bijux-atlas.storeVolume" -}}
{{- $root := index . 0 -}}
{{- if $root.Values.store.existingClaim -}}
- name: store
  persistentVolumeClaim:
    claimName: {{ $root.Values.store.existingClaim }}
    readOnly: {{ index . 1 }}
{{- end -}}
{{- end -}}

{{/* Pod annotations that roll pods when the runtime config or the created Secret changes. */}}
{{- define "bijux-atlas.checksumAnnotations" -}}
checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if .Values.store.credentials.create }}
checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end -}}
