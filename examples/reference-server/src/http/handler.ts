/** Every inbound HTTP endpoint is a Fetch handler: hosts (Node's http, tests, any framework) mount it as is. */
export type Handler = (request: Request) => Promise<Response>;
