/** The part of har-validator (no bundled types) the capture tests use. */
declare module "har-validator" {
  const validator: {
    /** Resolves true for a valid HAR 1.2 document; rejects with the schema errors otherwise. */
    har(data: unknown): Promise<boolean>;
  };
  export default validator;
}
