import packageJson from "../../package.json" with { type: "json" };

/** The switchyard version, from package.json. */
export const SWITCHYARD_VERSION: string = packageJson.version;
