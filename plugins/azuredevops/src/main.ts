import { Plugin } from "tsdevlake"
import { AzureDevOpsPlugin } from "./plugin.js"

Plugin.main(AzureDevOpsPlugin)
