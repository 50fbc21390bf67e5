// oidc-provider ships no types; the tests use a small, loosely typed part of it.
declare module "oidc-provider" {
  const Provider: new (
    issuer: string,
    configuration: Record<string, unknown>,
  ) => {
    callback(): (req: unknown, res: unknown) => void;
    on(event: string, listener: (...args: never[]) => void): void;
    proxy?: boolean;
  };
  export default Provider;
}
