/**
 * Validator annotations for config record components. Each writes one Kong schema attribute with the
 * same name, and the plugin server checks the same rule when it binds a config. They go on record
 * components; a validator for strings or numbers placed on a list, set or map component applies to
 * its elements (map: its values), while {@link dev.kongpdk.plugin.schema.Length} and {@link
 * dev.kongpdk.plugin.schema.Encrypted} always apply to the component itself.
 */
package dev.kongpdk.plugin.schema;
