import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

/** Splits an image reference into repository, tag and digest. */
export function parseImage(ref: string): { repository: string; tag?: string; digest?: string } {
  const [nameAndTag, digest] = ref.split("@", 2);
  const lastSlash = nameAndTag.lastIndexOf("/");
  const colon = nameAndTag.indexOf(":", lastSlash + 1);
  return colon === -1 ? { repository: nameAndTag, digest } : { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
}

export default podRule(
  {
    name: "atlas-image-tag",
    description: "Images are never :latest, nor untagged without a digest (an implicit latest).",
    clause: "Container Image: reproducible, pinned images (no moving latest tag)",
    level: "mandatory",
    remediation: "reference the image by a release tag and its digest (repository:tag@sha256:...)",
  },
  (pod) =>
    eachContainer(pod, (c) => {
      const image = String(c.container.image ?? "");
      if (!image) return `${where(c)}: no image`;
      const { tag, digest } = parseImage(image);
      if (tag === "latest") return `${where(c)}: image ${image} uses the latest tag`;
      if (!tag && !digest) return `${where(c)}: image ${image} has neither tag nor digest (implicitly latest)`;
      return undefined;
    }),
);
