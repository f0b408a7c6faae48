import { eachContainer, podRule } from "../podRule";
import { where } from "../pods";
import { parseImage } from "./imageTag";

export default podRule(
  {
    name: "atlas-image-digest",
    description: "Images are pinned by digest (repository@sha256:...). Advisory on the dev stack through its policy config.",
    clause: "Container Image: reproducible builds, deployed by digest",
    enforcement: "mandatory",
  },
  (pod) =>
    eachContainer(pod, (c) => {
      const image = String(c.container.image ?? "");
      return /^sha256:[a-f0-9]{64}$/.test(parseImage(image).digest ?? "") ? undefined : `${where(c)}: image ${image} is not pinned by digest (@sha256:<64 hex>)`;
    }),
);
