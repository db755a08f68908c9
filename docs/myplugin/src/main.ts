import { Plugin } from "tsdevlake"
import { MyPlugin } from "./plugin.js"

Plugin.main(MyPlugin)
