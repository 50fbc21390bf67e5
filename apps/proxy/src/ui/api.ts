/** The page's only door to the proxy: same-origin fetches, the session cookie rides along. */

const csrf = document.querySelector('meta[name="switchyard-csrf"]')?.getAttribute("content") ?? "";

/** A refused or failed call, with the proxy's own message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function failure(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (typeof body.error?.message === "string") message = body.error.message;
  } catch {
    // not JSON: keep the status line
  }
  if (res.status === 401) message = `${message} (run \`switchyard dashboard\` to log in again)`;
  return new ApiError(res.status, message);
}

/** GET a JSON admin endpoint. */
export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: "application/json" } });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** POST an admin action (`/admin/resume`, `/admin/reload`) with the page's CSRF token. */
export async function postAdmin<T>(path: string): Promise<T> {
  const res = await fetch(path, { method: "POST", headers: { "x-switchyard-csrf": csrf } });
  const body = (await res.json().catch(() => ({}))) as T & { error?: { message?: string } };
  // A refused reload answers 422 with its result: that is an answer, not a failure.
  if (!res.ok && res.status !== 422) {
    throw new ApiError(res.status, body.error?.message ?? `${res.status} ${res.statusText}`);
  }
  return body;
}
