// The API reference check, shared by `pnpm --filter docs api-check` (prints the
// figures) and test/api-reference.test.ts (fails on any problem). TypeDoc reads
// the packages' source as typedoc.json says, then validates: every exported
// symbol and member documented, every {@link} and relative link resolved, and
// every exported function and class with an @example.
import {join} from 'node:path';
import {Application, Logger, ReflectionKind} from 'typedoc';

/** Keeps TypeDoc's warnings and errors instead of printing them. */
class CollectingLogger extends Logger {
  messages = [];
  log(message, level) {
    super.log(message, level);
    if (level >= 2) this.messages.push(message);
  }
}

/** Declarations a reader looks up (as TypeDoc's `requiredToBeDocumented` default). */
const DOCUMENTED_KINDS =
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Function |
  ReflectionKind.Variable |
  ReflectionKind.Enum |
  ReflectionKind.EnumMember |
  ReflectionKind.Property |
  ReflectionKind.Method |
  ReflectionKind.Accessor;

const hasDocs = (reflection) =>
  reflection.hasComment() ||
  (reflection.signatures ?? []).some((signature) => signature.hasComment()) ||
  (reflection.type?.declaration?.signatures ?? []).some((signature) => signature.hasComment()) ||
  // A re-export (`export {sameContent} from ...`) carries the docs of what it names.
  (reflection.isReference?.() && hasDocs(reflection.getTargetReflectionDeep()));

/**
 * Converts and validates the API reference without writing it.
 * Returns TypeDoc's problems and the counts of exported symbols (top-level
 * exports) and of declarations (exports and their members), documented or not.
 */
export const checkApi = async (config = join(import.meta.dirname, 'typedoc.json')) => {
  const app = await Application.bootstrapWithPlugins({options: config, emit: 'none'});
  const logger = new CollectingLogger();
  app.logger = logger;
  const project = await app.convert();
  if (project) app.validate(project);
  const modules = project?.children ?? [];
  const exported = modules.flatMap((module) => module.children ?? []);
  const declarations = (project?.getReflectionsByKind(DOCUMENTED_KINDS) ?? []).filter(
    // Members inherited from Error and the like are documented where they come from.
    (reflection) => !reflection.inheritedFrom && !reflection.flags.isExternal,
  );
  // The project's standard: every exported function and class shows an @example.
  const withoutExample = (
    project?.getReflectionsByKind(ReflectionKind.Function | ReflectionKind.Class) ?? []
  )
    .filter(
      (reflection) =>
        ![reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)].some(
          (comment) => comment?.blockTags.some((tag) => tag.tag === '@example'),
        ),
    )
    .map((reflection) => `${reflection.getFriendlyFullName()} has no @example`);
  // Source links depend on the checkout (a clone without a usable git remote has
  // none); they are not documentation, so their warnings do not count here.
  const aboutDocs = logger.messages.filter((message) => !/git remote|source links/i.test(message));
  return {
    problems: [...aboutDocs, ...withoutExample],
    modules: modules.map((module) => module.name),
    exported: exported.length,
    exportedDocumented: exported.filter(hasDocs).length,
    declarations: declarations.length,
    declarationsDocumented: declarations.filter(hasDocs).length,
  };
};

if (process.argv[1] === import.meta.filename) {
  const result = await checkApi(process.argv[2]);
  for (const problem of result.problems) console.log(problem);
  console.log(`modules: ${result.modules.join(', ')}`);
  console.log(`exported symbols: ${result.exported}, documented: ${result.exportedDocumented}`);
  console.log(
    `declarations (exports and their members): ${result.declarations}, documented: ${result.declarationsDocumented}`,
  );
  process.exitCode = result.problems.length ? 1 : 0;
}
