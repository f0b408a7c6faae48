import { describeRefusedTags } from "../../../contract/grammar";
import { isRefusedTag, parseImageReference } from "../../../contract/image";
import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

export default podRule(
  {
    name: "atlas-image-tag",
    description: `Images never use a moving tag (${describeRefusedTags()}), nor go untagged without a digest (an implicit latest).`,
    clause: "Container Image: reproducible, pinned images (no moving latest tag)",
    level: "mandatory",
    remediation: "reference the image by a release tag and its digest (repository:tag@sha256:...)",
  },
  (pod) =>
    eachContainer(pod, (c) => {
      const image = String(c.container.image ?? "");
      if (!image) return `${where(c)}: no image`;
      const { tag, digest } = parseImageReference(image);
      if (isRefusedTag(tag)) return `${where(c)}: image ${image} uses the moving tag ${JSON.stringify(tag)} (refused: ${describeRefusedTags()})`;
      if (!tag && !digest) return `${where(c)}: image ${image} has neither tag nor digest (implicitly latest)`;
      return undefined;
    }),
);
