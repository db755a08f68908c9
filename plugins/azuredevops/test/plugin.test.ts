import { describe, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { AzureDevOpsPlugin } from "../src/plugin.js"

describe("azuredevops plugin", () => {
  it("is a valid plugin", () => Testing.assertValidPlugin(AzureDevOpsPlugin))
})
