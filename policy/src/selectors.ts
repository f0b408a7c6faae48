/** Kubernetes label selector semantics, shared with the pod runner: see contract/k8s.ts. */
export { LabelSelector, selects } from "../../contract/k8s";
