import { patterns } from "../../../contract/grammar";
import { parseImageReference } from "../../../contract/image";
import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";

const digest = new RegExp(patterns.imageDigest);

export default podRule(
  {
    name: "atlas-image-digest",
    description: "Images are pinned by digest (repository@sha256:...). Advisory on the dev stack through its policy config.",
    clause: "Container Image: reproducible builds, deployed by digest",
    level: "mandatory",
    remediation: "pin the image by digest: repository[:tag]@sha256:<64 hex> (image.digest in the chart values)",
  },
  (pod) =>
    eachContainer(pod, (c) => {
      const image = String(c.container.image ?? "");
      return digest.test(parseImageReference(image).digest ?? "") ? undefined : `${where(c)}: image ${image} is not pinned by digest`;
    }),
);
