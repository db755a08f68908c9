/** The scope config's patterns applied to builds and jobs, as the Python plugin applies them. */
import type { Domain } from "tsdevlake"
import { compilePattern, type GitRepositoryConfig } from "../models.js"

/** `DEPLOYMENT` when the deployment pattern matches the name, else `BUILD`. */
export const typeOf = (config: GitRepositoryConfig, name: string): "DEPLOYMENT" | "BUILD" =>
  compilePattern(config.deploymentPattern)?.test(name) === true ? "DEPLOYMENT" : "BUILD"

/**
 * The environment name the environment pattern's first group extracts from a job's name, else from its
 * identifier; `undefined` without a pattern or a match with a group.
 */
export const environmentName = (
  config: GitRepositoryConfig,
  name: string,
  identifier: string | null | undefined
): string | undefined => {
  const pattern = compilePattern(config.environmentPattern)
  if (pattern === undefined) return undefined
  const onName = pattern.exec(name)
  if (onName !== null && onName.length > 1) return onName[1]
  if (identifier === undefined || identifier === null || identifier === "") return undefined
  const onIdentifier = pattern.exec(identifier)
  return onIdentifier !== null && onIdentifier.length > 1 ? onIdentifier[1] : undefined
}

/**
 * `PRODUCTION` when the production pattern matches the extracted environment name (when there is one) or the
 * name; without a production pattern, every deployment is a production one. Otherwise Go's empty value.
 */
export const environmentOf = (
  config: GitRepositoryConfig,
  type: "DEPLOYMENT" | "BUILD",
  name: string,
  extracted?: string
): Domain.Devops.CICDEnvironment => {
  const production = compilePattern(config.productionPattern)
  if (production === undefined) return type === "DEPLOYMENT" ? "PRODUCTION" : ""
  const subject = extracted === undefined || extracted === "" ? name : extracted
  return production.test(subject) ? "PRODUCTION" : ""
}

/** The Python plugin's `original_status`/`original_result`: the enum member's name, its value capitalised. */
export const original = (value: string | null | undefined): string =>
  value === undefined || value === null || value === "" ? "" : value[0]!.toUpperCase() + value.slice(1)

/** Seconds between two dates, `0` without an end (as the Python plugin computes it). */
export const durationOf = (start: Date, end: Date | null | undefined): number =>
  end === undefined || end === null ? 0 : Math.abs(end.getTime() - start.getTime()) / 1000
