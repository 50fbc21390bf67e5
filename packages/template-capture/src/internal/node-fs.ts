import { open } from "node:fs/promises";
import type { CassetteFs } from "../recorder.js";

/** The default {@link CassetteFs}: node's file handles; files are created with mode 0600. */
export const nodeCassetteFs: CassetteFs = {
  async open(path) {
    const handle = await open(path, "w", 0o600);
    return {
      write: async (text, position) => {
        await handle.write(text, position, "utf8");
      },
      truncate: (length) => handle.truncate(length),
      close: () => handle.close(),
    };
  },
};
