/**
 * Naming rules the Go server applies, reproduced so that the columns and tables we write are the ones
 * it creates and deletes from.
 *
 * @internal
 */

// gorm's commonInitialisms (gorm.io/gorm/schema/naming.go): each is rewritten in Title case before
// snake-casing, so `avatarURL` becomes `avatar_url` rather than `avatar_u_r_l`.
const commonInitialisms = [
  "API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ID", "IP", "JSON", "LHS", "QPS",
  "RAM", "RHS", "RPC", "SLA", "SMTP", "SSH", "TLS", "TTL", "UID", "UI", "UUID", "URI", "URL", "UTF8", "VM", "XML",
  "XSRF", "XSS"
]

// Go's strings.NewReplacer picks, at each position, the first old string in argument order that matches
// (for a generic replacer with several patterns it prefers the earliest listed on ties), so the order
// above matters: "HTTP" is tried before "HTTPS", exactly as in gorm.
const replaceInitialisms = (name: string): string => {
  let out = ""
  let i = 0
  outer: while (i < name.length) {
    for (const word of commonInitialisms) {
      if (name.startsWith(word, i)) {
        out += word[0] + word.slice(1).toLowerCase()
        i += word.length
        continue outer
      }
    }
    out += name[i]
    i++
  }
  return out
}

const isUpper = (c: string | undefined) => c !== undefined && c >= "A" && c <= "Z"
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9"

/**
 * Go's `strings.Title` on an identifier: upper-cases its first letter.
 *
 * @internal
 */
export const goFieldName = (key: string): string => key.length === 0 ? key : key[0]!.toUpperCase() + key.slice(1)

/**
 * gorm's `NamingStrategy.ColumnName` of the Go field generated for a json_schema property: the DB column
 * the Go server creates for `key` (`scopeConfigId` → `scope_config_id`, `avatarURL` → `avatar_url`).
 *
 * @internal
 */
export const columnName = (key: string): string => {
  const name = goFieldName(key)
  if (name === "") return ""
  const value = replaceInitialisms(name)
  let buf = ""
  let lastCase = false
  let curCase = isUpper(value[0])
  for (let i = 0; i < value.length - 1; i++) {
    const v = value[i]!
    const next = value[i + 1]
    const nextCase = isUpper(next)
    const nextNumber = isDigit(next)
    if (curCase) {
      if (lastCase && (nextCase || nextNumber)) {
        buf += v.toLowerCase()
      } else {
        if (i > 0 && value[i - 1] !== "_" && next !== "_") buf += "_"
        buf += v.toLowerCase()
      }
    } else {
      buf += v
    }
    lastCase = curCase
    curCase = nextCase
  }
  const last = value[value.length - 1]!
  if (curCase) {
    if (!lastCase && value.length > 1) buf += "_"
    buf += last.toLowerCase()
  } else {
    buf += last
  }
  return buf
}

/**
 * Whether `key` can become an exported Go struct field (`reflect.StructOf` panics otherwise). Keys starting
 * with `_` are allowed only when Go skips them as fields of the base model (the `_raw_data_*` columns).
 *
 * @internal
 */
export const isGoIdentifier = (key: string): boolean => /^[A-Za-z][A-Za-z0-9_]*$/.test(key)

const irregular: Record<string, string> = {
  person: "people",
  man: "men",
  woman: "women",
  child: "children",
  tooth: "teeth",
  foot: "feet",
  mouse: "mice",
  datum: "data",
  index: "indices",
  status: "statuses",
  alias: "aliases"
}

/**
 * English plural of a lower-case word, as pydevlake's `inflect` computes it for table names
 * (`fakepipeline` → `fakepipelines`, `gitrepository` → `gitrepositories`).
 *
 * @internal
 */
export const plural = (word: string): string => {
  for (const [singular, pluralForm] of Object.entries(irregular)) {
    if (word.endsWith(singular)) return word.slice(0, word.length - singular.length) + pluralForm
  }
  if (/(s|x|z|ch|sh)$/.test(word)) return word + "es"
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + "ies"
  if (/[^aeiou]o$/.test(word) && !/(photo|piano|halo|memo|repo|demo|info|logo)$/.test(word)) return word + "es"
  return word + "s"
}

/**
 * Table name pydevlake gives a tool model: `_tool_<plugin folder>_<plural of lower-cased class name>`.
 *
 * @internal
 */
export const toolTableName = (pluginFolder: string, className: string): string =>
  `_tool_${pluginFolder}_${plural(className.toLowerCase())}`

/**
 * Raw table of a stream: `_raw_<plugin name>_<stream name>`; the Go server deletes a scope's raw rows
 * from every table whose name starts with `_raw_<plugin name>`.
 *
 * @internal
 */
export const rawTableName = (pluginName: string, streamName: string): string =>
  `_raw_${pluginName}_${streamName.toLowerCase()}`
