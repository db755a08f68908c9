export interface EffectIndexExports {
  readonly namespaces: ReadonlySet<string>
  readonly functions: ReadonlySet<string>
}
export declare const effectIndexExports: (indexSource: string) => EffectIndexExports
export declare const rewriteEffectImports: (source: string, exports: EffectIndexExports, fileName?: string) => string
export declare const effectImportsPlugin: (
  resolveDir: string
) => { readonly name: string; readonly setup: (build: unknown) => void }
