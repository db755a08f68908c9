import { Plugin } from "tsdevlake"
import { BenchPlugin } from "./plugin.js"

Plugin.main(BenchPlugin)
