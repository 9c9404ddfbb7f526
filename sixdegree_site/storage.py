"""Static files storage: whitenoise's hashed, compressed files, without source map links.

Django rewrites `sourceMappingURL` comments to hashed names and fails when the map is absent;
the vendored Leaflet build names a `leaflet.js.map` that npm's package does not ship. Browsers
only fetch source maps with developer tools open, so the comments are left as they are.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    kept = []
    for glob, rules in patterns:
        rules = tuple(
            rule for rule in rules if "sourceMappingURL" not in (rule[0] if isinstance(rule, tuple) else rule)
        )
        kept.append((glob, rules))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
