/** The atlas release: its namespace and charts/bijux-atlas with the values the stack config gives. */
export { AtlasRelease, type AtlasReleaseArgs } from "./atlasRelease";
