/**
 * English plurals as pydevlake computes them for tool table names.
 *
 * @internal
 */

// pydevlake pluralises lower-cased class names with `inflect` 6.0.4 (`plural_noun`, modern mode). What
// follows is inflect's rule order for one lower-case word (no spaces or hyphens, so compounds, pronoun
// phrases and capitalised forms never apply), with the word lists those rules consult (inflect is MIT
// licensed). A "whole" list matches the entire word, an "ending" list any suffix of it.
const words = (text: string): ReadonlyArray<string> => text.trim().split(/\s+/)

const uninflectedWhole = new Set(words(`
  tuna salmon mackerel trout bream carp cod flounder whiting moose graffiti djinn samuri offspring pence quid
  hertz breeches britches pajamas pyjamas clippers gallows hijinks headquarters pliers scissors testes herpes
  pincers shears proceedings trousers cantus coitus nexus contretemps corps debris siemens mumps diabetes
  jackanapes series species subspecies rabies chassis innings news mews haggis`))
const uninflectedEndings = words(
  "butter cash furniture information fish deer sheep nese rese lese mese pox craft ois measles"
)

// First alternative of inflect's "modern|classical" entries.
const irregularWhole: Record<string, string> = {
  child: "children",
  chili: "chilis",
  brother: "brothers",
  infinity: "infinities",
  loaf: "loaves",
  lore: "lores",
  hoof: "hoofs",
  beef: "beefs",
  thief: "thiefs",
  money: "monies",
  mongoose: "mongooses",
  ox: "oxen",
  cow: "cows",
  graffito: "graffiti",
  octopus: "octopuses",
  genie: "genies",
  ganglion: "ganglions",
  trilby: "trilbys",
  turf: "turfs",
  numen: "numina",
  atman: "atmas",
  occiput: "occiputs",
  sabretooth: "sabretooths",
  sabertooth: "sabertooths",
  lowlife: "lowlifes",
  flatfoot: "flatfoots",
  tenderfoot: "tenderfoots",
  romany: "romanies",
  jerry: "jerries",
  mary: "maries",
  talouse: "talouses",
  rom: "roma",
  carmen: "carmina",
  corpus: "corpuses",
  opus: "opuses",
  genus: "genera",
  mythos: "mythoi",
  penis: "penises",
  testis: "testes",
  atlas: "atlases",
  yes: "yeses"
}

// Whole-word pronouns (nominative first, as inflect looks them up).
const pronouns: Record<string, string> = {
  i: "we",
  myself: "ourselves",
  you: "you",
  yourself: "yourselves",
  she: "they",
  herself: "themselves",
  he: "they",
  himself: "themselves",
  it: "they",
  itself: "themselves",
  they: "they",
  themself: "themselves",
  mine: "ours",
  yours: "yours",
  hers: "theirs",
  his: "theirs",
  its: "theirs",
  theirs: "theirs",
  me: "us",
  her: "them",
  him: "them",
  them: "them"
}

const manMansEndings = words(
  "ataman caiman cayman ceriman desman dolman farman harman hetman human leman ottoman shaman talisman"
)
const louseLice = new Set(words("booklouse grapelouse louse woodlouse"))

// [ending list, characters to drop, suffix to add], tried when the word ends with one of the endings.
const importedEndings: ReadonlyArray<readonly [ReadonlyArray<string>, number, string]> = [
  [words("czech eunuch stomach"), 0, "s"],
  [words("codex murex silex"), 2, "ices"],
  [words("radix helix"), 2, "ices"],
  [words("bacterium agendum desideratum erratum stratum datum ovum extremum candelabrum"), 2, "a"],
  [words("alumnus alveolus bacillus bronchus locus nucleus stimulus meniscus sarcophagus"), 2, "i"],
  [words("criterion perihelion aphelion phenomenon prolegomenon noumenon organon asyndeton hyperbaton"), 2, "a"],
  [words("alumna alga vertebra persona vita"), 0, "e"]
]

const singularSWhole = new Set(words(`
  acropolis aegis alias asbestos bathos bias bronchitis bursitis caddis cannabis canvas chaos cosmos dais
  digitalis epidermis ethos eyas gas glottis hubris ibis lens mantis marquis metropolis pathos pelvis polis
  rhinoceros sassafras trellis ephemeris iris clitoris chrysalis epididymis`))
const singularSEndings = words("ss us itis")

const oOsWhole = new Set(["ado", "oto"])
const oOsEndings = words(`
  aficionado aggro albino allegro ammo archipelago armadillo auto avocado bimbo bingo bolero bongo burro canto
  cappuccino casino cello cilantro cochito coco commando concertino contango credo crescendo cyano demo
  ditto dynamo embryo espresso euro falsetto fiasco flamenco furioso generalissimo ghetto gigolo gizmo gringo
  guano gumbo gyro hairdo hippo impetigo inferno info intermezzo intertrigo jumbo junto kilo libero libido
  libretto lido limbo limo lineno lingo lino livedo loco logo lumbago macho macro mafioso magneto magnifico
  manifesto medico memo metro micro mono myo neutrino octavo oregano panto pedalo photo pimento pinto pleco pogo
  polo poncho pro psycho pueblo quarto repo rhino risotto rococo rondo saddo sago salvo scherzando scherzo
  silo sirocco sombrero staccato sterno stucco stylo sumo techno terrazzo testudo timpano tiro tobacco torero
  torso tremolo typo tyro ufo vaquero vermicello verso vibrato violoncello weirdo zero solo soprano basso alto
  contralto tempo piano virtuoso`)

const endsWithAny = (word: string, endings: ReadonlyArray<string>) => endings.some((e) => word.endsWith(e))

/**
 * English plural of a lower-case word, as pydevlake's `inflect` (6.0.4) computes it for table names
 * (`fakepipeline` → `fakepipelines`, `gitrepository` → `gitrepositories`, `status` → `statuses`).
 *
 * @internal
 */
export const plural = (word: string): string => {
  if (word === "") return word
  if (uninflectedWhole.has(word) || endsWithAny(word, uninflectedEndings)) return word
  const pronoun = Object.hasOwn(pronouns, word) ? pronouns[word] : undefined
  if (pronoun !== undefined) return pronoun
  const irregular = Object.hasOwn(irregularWhole, word) ? irregularWhole[word] : undefined
  if (irregular !== undefined) return irregular
  if (word.endsWith("quy")) return word.slice(0, -1) + "ies"
  if (word.endsWith("person")) return word.slice(0, -4) + "ople"
  if (word.endsWith("man")) return endsWithAny(word, manMansEndings) ? word + "s" : word.slice(0, -3) + "men"
  if (word.endsWith("mouse")) return word.slice(0, -5) + "mice"
  if (word.endsWith("louse")) return louseLice.has(word) ? word.slice(0, -5) + "lice" : word + "s"
  if (word.endsWith("goose")) return word.slice(0, -5) + "geese"
  if (word.endsWith("tooth")) return word.slice(0, -5) + "teeth"
  if (word.endsWith("foot")) return word.slice(0, -4) + "feet"
  // inflect drops five characters of a four-letter ending here; kept for identical table names.
  if (word.endsWith("taco")) return word.slice(0, Math.max(0, word.length - 5)) + "tacos"
  if (word === "die") return "dice"
  if (word.endsWith("ceps")) return word
  if (word.endsWith("zoon")) return word.slice(0, -2) + "a"
  if (/(cis|sis|xis)$/.test(word)) return word.slice(0, -2) + "es"
  for (const [endings, drop, suffix] of importedEndings) {
    if (endsWithAny(word, endings)) return word.slice(0, word.length - drop) + suffix
  }
  if (singularSWhole.has(word) || endsWithAny(word, singularSEndings)) return word + "es"
  if (word.endsWith("z")) {
    if (endsWithAny(word, ["quartz", "topaz"])) return word + "es"
    if (!word.endsWith("zz")) return word + "zes"
  }
  if (word.endsWith("snooze")) return word + "s"
  if (/(ch|sh|zz|ss|x)$/.test(word)) return word + "es"
  if (/(elf|alf|olf|arf)$/.test(word) || (word.endsWith("eaf") && !word.endsWith("deaf"))) {
    return word.slice(0, -1) + "ves"
  }
  if (/(nife|life|wife)$/.test(word)) return word.slice(0, -2) + "ves"
  if (word.endsWith("y")) return word.length === 1 || /[aeiou]y$/.test(word) ? word + "s" : word.slice(0, -1) + "ies"
  if (oOsWhole.has(word) || endsWithAny(word, oOsEndings) || /(ao|eo|io|oo|uo)$/.test(word)) return word + "s"
  if (word.endsWith("o")) return word + "es"
  return word + "s"
}
