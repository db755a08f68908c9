/**
 * Walking Schema ASTs for the annotations DevLake cares about.
 *
 * @internal
 */
import type { SchemaAST } from "effect"

/**
 * Every AST node reachable without crossing into nested object types, outermost first, so annotations
 * put on a wrapper win over those of the wrapped schema.
 *
 * @internal
 */
export const layers = (ast: SchemaAST.AST): Array<SchemaAST.AST> => {
  const out: Array<SchemaAST.AST> = [ast]
  switch (ast._tag) {
    case "Refinement":
      out.push(...layers(ast.from))
      break
    case "Transformation":
      out.push(...layers(ast.to), ...layers(ast.from))
      break
    case "Union":
      for (const member of ast.types) out.push(...layers(member))
      break
    case "Suspend":
      out.push(...layers(ast.f()))
      break
  }
  return out
}
