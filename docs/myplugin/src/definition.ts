// --- definition ---
import { Plugin } from "tsdevlake"
import { MyConnection, MyProject, MyScopeConfig } from "./models.js"

export const myplugin = Plugin.define({
  name: "myplugin",
  connection: MyConnection,
  scope: MyProject,
  scopeConfig: MyScopeConfig
})
// --- end ---
