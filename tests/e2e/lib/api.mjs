// Calls to the server's REST API from a test, for the set-up a person would not click through.

/** One API call as `token`'s user (none: anonymous); throws on an error status. */
export async function api(server, method, path, body, token) {
  const res = await fetch(`${server.url}/api/v4${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      'X-Requested-With': 'XMLHttpRequest',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return { body: text ? JSON.parse(text) : null, token: res.headers.get('token') };
}

/** A new session's token for `person` ({ username, password }). */
export async function apiLogin(server, person) {
  return (await api(server, 'POST', '/users/login', { login_id: person.username, password: person.password })).token;
}
