from tests.version_helpers import vkb  # noqa: F401  (seed corpus + a test-made version of a seed plan)
