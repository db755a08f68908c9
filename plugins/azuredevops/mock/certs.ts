/**
 * The test CA and the certificate of the cloud hosts, made with the `openssl` command line tool into a temporary
 * directory: the plugin reaches `https://dev.azure.com/` through the mock's proxy and trusts the CA by
 * `NODE_EXTRA_CA_CERTS`, as a corporate proxy's CA is trusted.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"

export const CLOUD_HOSTS = ["dev.azure.com", "app.vssps.visualstudio.com"] as const

export interface Certificates {
  readonly dir: string
  /** The CA's certificate (PEM), for `NODE_EXTRA_CA_CERTS` or undici's `ca`. */
  readonly caFile: string
  readonly key: Buffer
  readonly cert: Buffer
}

const run = promisify(execFile)

const openssl = async (args: ReadonlyArray<string>, cwd: string) => {
  try {
    await run("openssl", [...args], { cwd })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        "the Azure DevOps mock needs the openssl command line tool to make its test certificates: install openssl"
      )
    }
    throw new Error(`openssl ${args[0]} failed: ${String((error as { stderr?: unknown }).stderr ?? error).trim()}`)
  }
}

/** A CA valid for two days and a server certificate for the cloud hosts signed by it (P-256 keys: made at once). */
export const makeCertificates = async (): Promise<Certificates> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "azuredevops-mock-"))
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
  try {
    await openssl([
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=tsdevlake Azure DevOps mock CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign"
    ], dir)
    await openssl(["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${CLOUD_HOSTS[0]}`], dir)
    fs.writeFileSync(
      path.join(dir, "server.ext"),
      [
        `subjectAltName=${CLOUD_HOSTS.map((h) => `DNS:${h}`).join(",")}`,
        "basicConstraints=CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth"
      ].join("\n")
    )
    await openssl([
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      "2",
      "-extfile",
      "server.ext"
    ], dir)
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    dir,
    caFile: path.join(dir, "ca.pem"),
    key: fs.readFileSync(path.join(dir, "server.key")),
    cert: fs.readFileSync(path.join(dir, "server.pem"))
  }
}
