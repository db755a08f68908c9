import { Plugin } from "tsdevlake"
import { FakePlugin } from "./plugin.js"

Plugin.main(FakePlugin)
