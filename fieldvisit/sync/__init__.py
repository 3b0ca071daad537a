"""The laptop side of sync: the signed, encrypted bundle container, keys and activation,
enrollment, export and return import, over a USB stick or the network (docs/bundle-format.md).
Applying changes itself is the store's (``Store.transaction().apply``)."""
