"""Access rules for asset metadata and stacks (Immich's AssetService metadata part and
StackService): the owner's alone, but reading an asset's metadata, which its readers may
(the album's members, the owner's partner)."""

from __future__ import annotations

from tests.api.access_model import (
    ASSET_READERS,
    Probe,
    Request,
    hidden,
    no_access,
    status,
)

META_KEY = "mobile-app"  # an asset metadata key the fixture sets on the owner's asset


def _asset_read(permission: str) -> Probe:
    return Probe(
        lambda o, c: Request(path={"id": o.asset}),
        no_access(permission),
        status(200),
        grants=ASSET_READERS,
    )


ASSET_METADATA_RULES: dict[str, list[Probe]] = {
    # --- asset metadata -----------------------------------------------------------------------
    "getAssetMetadata": [_asset_read("asset.read")],
    "getAssetMetadataByKey": [
        Probe(
            lambda o, c: Request({"id": o.asset, "key": META_KEY}),
            no_access("asset.read"),
            status(200),
            grants=ASSET_READERS,
        )
    ],
    "updateAssetMetadata": [
        Probe(
            lambda o, c: Request(
                {"id": o.asset}, {"items": [{"key": META_KEY, "value": {"iCloudId": "x"}}]}
            ),
            no_access("asset.update"),
            status(200),
        )
    ],
    "deleteAssetMetadata": [
        Probe(
            lambda o, c: Request({"id": o.asset, "key": META_KEY}),
            no_access("asset.update"),
            fresh=("asset",),
        )
    ],
    "updateBulkAssetMetadata": [
        Probe(
            lambda o, c: Request(
                json={"items": [{"assetId": o.asset, "key": META_KEY, "value": {"iCloudId": "x"}}]}
            ),
            no_access("asset.update"),
            status(200),
        ),
        Probe(
            lambda o, c: Request(
                json={
                    "items": [
                        {"assetId": c.asset, "key": META_KEY, "value": {"iCloudId": "y"}},
                        {"assetId": o.asset2, "key": META_KEY, "value": {"iCloudId": "y"}},
                    ]
                }
            ),
            no_access("asset.update"),
            status(200),
            fresh=("asset", "asset2"),
        ),
    ],
    "deleteBulkAssetMetadata": [
        Probe(
            lambda o, c: Request(json={"items": [{"assetId": o.asset, "key": META_KEY}]}),
            no_access("asset.update"),
            fresh=("asset",),
        )
    ],
    # --- stacks -----------------------------------------------------------------------------
    "searchStacks": [
        Probe(
            lambda o, c: Request(query={"primaryAssetId": o.asset}),
            hidden(),
            status(200),
        )
    ],
    "createStack": [
        Probe(
            lambda o, c: Request(json={"assetIds": [o.asset, o.asset2]}),
            no_access("asset.update"),
            fresh=("asset", "asset2"),
        ),
        # one of the caller's own and one of the owner's: still refused
        Probe(
            lambda o, c: Request(json={"assetIds": [c.asset, o.asset2]}),
            no_access("asset.update"),
            fresh=("asset", "asset2"),
        ),
    ],
    "getStack": [Probe(lambda o, c: Request({"id": o.stack}), no_access("stack.read"))],
    "updateStack": [
        Probe(
            lambda o, c: Request({"id": o.stack}, {"primaryAssetId": o.asset}),
            no_access("stack.update"),
            status(200),
        )
    ],
    "deleteStack": [
        Probe(lambda o, c: Request({"id": o.stack}), no_access("stack.delete"), fresh=("stack",))
    ],
    "deleteStacks": [
        Probe(
            lambda o, c: Request(json={"ids": [o.stack]}),
            no_access("stack.delete"),
            fresh=("stack",),
        )
    ],
    "removeAssetFromStack": [
        Probe(
            lambda o, c: Request({"id": o.stack, "assetId": o.asset2}),
            no_access("stack.update"),
            fresh=("stack",),
        )
    ],
}
