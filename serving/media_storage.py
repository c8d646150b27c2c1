"""Media in an S3-compatible bucket (docs/scaling.md#media-on-object-storage).

Images and their renditions are public objects, linked by their plain URL: it does not expire,
so baked pages and caches can keep it. Every other file (documents above all, recordings, the
residents' photo submissions) is a private object that reaches visitors only through Django,
which checks who may read it. Public is an allow-list of key prefixes: a new kind of file is
private until it is added here.
"""

from storages.backends.s3 import S3Storage

# Wagtail's upload_to for original images and for renditions.
PUBLIC_PREFIXES = ("original_images/", "images/")


class MediaStorage(S3Storage):
    def is_public(self, name):
        """Whether the object at key `name` (the location's prefix included) is public."""
        prefix = f"{self.location.strip('/')}/" if self.location else ""
        relative = name[len(prefix) :] if name.startswith(prefix) else None
        return relative is not None and relative.startswith(PUBLIC_PREFIXES)

    def get_object_parameters(self, name):
        # Whatever AWS_DEFAULT_ACL or the bucket's default say: each object its own ACL.
        parameters = super().get_object_parameters(name)
        parameters["ACL"] = "public-read" if self.is_public(name) else "private"
        return parameters
