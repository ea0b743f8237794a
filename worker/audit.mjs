// One structured line per write and per refusal: who, which route, the account's last four,
// the outcome and the correlation id. Never a card number, a key or a token: the fields are
// chosen here, not passed through.

/** Writes the audit line; `fields` must hold only the names below. */
export function audit({ user, role, route, lastFour, status, outcome, correlationId }) {
  const line = {
    audit: "points-worker",
    time: new Date().toISOString(),
    user: user ?? null,
    role: role ?? null,
    route,
    account: typeof lastFour === "string" && /^\d{4}$/.test(lastFour) ? lastFour : null,
    status,
    outcome,
    correlationId,
  };
  console.log(JSON.stringify(line));
}
