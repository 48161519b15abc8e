// Prettier configuration for the Zeron addons: used for the XML files
// (views, data, security) through @prettier/plugin-xml.
//
// tools/lint.sh installs prettier and the plugin into /opt/zeron-lint-node so
// that no node_modules lands in the repository. Prettier resolves plugin names
// from the directory of this file, where the plugin is not installed, so hand
// it the plugin's absolute path when we can find it.

function xmlPlugin() {
    const searchPaths = [
        process.env.ZERON_LINT_NODE_DIR,
        "/opt/zeron-lint-node",
        __dirname,
    ].filter(Boolean);
    try {
        return require.resolve("@prettier/plugin-xml", {paths: searchPaths});
    } catch (error) {
        // Let prettier report the missing plugin in its own words.
        return "@prettier/plugin-xml";
    }
}

module.exports = {
    plugins: [xmlPlugin()],
    bracketSpacing: false,
    printWidth: 88,
    proseWrap: "always",
    semi: true,
    trailingComma: "es5",
    // Keep text nodes as written: Odoo reads whitespace in some fields
    // (arch, code, templates), so prettier may only re-indent tags.
    xmlWhitespaceSensitivity: "preserve",
    overrides: [
        {
            // .editorconfig already sets 4 spaces; repeating it here keeps XML
            // at 4 spaces when prettier runs on a tree without our
            // .editorconfig above it (LINT_ROOT pointing elsewhere).
            files: "*.xml",
            options: {tabWidth: 4},
        },
    ],
};
