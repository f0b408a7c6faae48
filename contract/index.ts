/** Facts every layer shares (stack config, components, chart values, policy, runners, tests): one place each. */
export * from "./addresses";
export * from "./env";
export * from "./grammar";
export * from "./image";
export * from "./k8s";
export * from "./labels";
export * from "./metrics";
export * from "./network";
export * from "./pod";
export * from "./quantity";
export * from "./server";
