// src/main.ts of the README's plugin: the file run.sh executes (compiled, not run, by the test suite).
import { Plugin } from "tsdevlake"
import { MyPlugin } from "./example.js"

Plugin.main(MyPlugin)
