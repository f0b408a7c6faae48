/**
 * Image references as the container runtime reads them: repository[:tag][@digest]. One parser for
 * the chart values built from a stack's image and for the policy rules reading rendered pods.
 */
import { refusedImageTags } from "./grammar";

/** An image reference split; tag and digest are absent when the reference has none. */
export interface ImageReference {
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Splits repository[:tag][@digest]. The tag's colon is the first after the last '/', so a registry
 * port (localhost:5001/atlas) is part of the repository, not a tag. Any string parses; whether the
 * parts are well formed is for the grammars in contract/grammar.ts.
 */
export function parseImageReference(ref: string): ImageReference {
  const at = ref.indexOf("@");
  const name = at === -1 ? ref : ref.slice(0, at);
  const digest = at === -1 ? undefined : ref.slice(at + 1);
  const colon = name.indexOf(":", name.lastIndexOf("/") + 1);
  const parts: ImageReference = colon === -1 ? { repository: name } : { repository: name.slice(0, colon), tag: name.slice(colon + 1) };
  if (digest !== undefined) parts.digest = digest;
  return parts;
}

/** Whether a tag is one the contract refuses (contract/grammar.ts `refusedImageTags`). */
export function isRefusedTag(tag: string | undefined): boolean {
  return tag !== undefined && refusedImageTags.includes(tag);
}
