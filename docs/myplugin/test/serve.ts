/**
 * `npx tsx test/serve.ts [port]`: serves the fake API of the plugin's tests on 127.0.0.1 (port 8080 by
 * default), for the guide's standalone commands.
 */
import { serve } from "./fakeApi.js"

const server = await serve({ port: Number(process.argv[2] ?? 8080) })
console.log(`fake API at ${server.url} (token guide-secret-token)`)
