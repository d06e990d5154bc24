/** A signed-in HTTP client for tests: keeps the session cookie and sends the CSRF token. */
export interface ApiClient {
  username: string;
  cookie: string;
  csrfToken: string;
  user: { id: string; username: string; role: string; delegation: string | null; meetingId: string; chairOf: string[] };
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  put<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  delete<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
}

/** Status and parsed JSON body (null when there is none). */
export interface ApiResponse<T> {
  status: number;
  body: T;
}

/** Sends one request; parses the JSON answer. */
export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string; csrfToken?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrfToken) headers["x-csrf-token"] = options.csrfToken;
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: any = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, body };
}

/** Signs in and returns a client bound to the session. Throws if sign-in fails. */
export async function login(baseUrl: string, username: string, password = "accord-demo"): Promise<ApiClient> {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0]!;
  const body = (await res.json()) as { user: ApiClient["user"]; csrfToken: string };
  const call = (method: string) => (path: string, b?: unknown) =>
    request(baseUrl, method, path, { body: b, cookie, csrfToken: body.csrfToken });
  return {
    username,
    cookie,
    csrfToken: body.csrfToken,
    user: body.user,
    get: (path) => request(baseUrl, "GET", path, { cookie }),
    post: call("POST"),
    put: call("PUT"),
    patch: call("PATCH"),
    delete: call("DELETE"),
  };
}
