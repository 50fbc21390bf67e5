import * as oauth from "oauth4webapi";

/** A PKCE pair (RFC 7636, S256 only) and a `state` value, all fresh random. */
export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: "S256";
  state: string;
}

/**
 * Creates a PKCE verifier/challenge (S256) and a `state`, from oauth4webapi.
 * @example
 * const { codeVerifier, codeChallenge } = await createPkcePair();
 */
export async function createPkcePair(): Promise<PkcePair> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  return {
    codeVerifier,
    codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    codeChallengeMethod: "S256",
    state: oauth.generateRandomState(),
  };
}
