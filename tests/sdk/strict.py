"""Strict shape checks of raw JSON against the SDK's models: every field the emulator sends must
be one the model declares, with the declared type; dates must parse as ISO-8601; enum values
must be ones the SDK knows (it maps unknown ones to "outdated_sdk_version")."""

import datetime
import re

import PureCloudPlatformClientV2 as gc

LIST = re.compile(r"^list\[(.+)\]$")
DICT = re.compile(r"^dict\(([^,]+), (.+)\)$")
OUTDATED = "outdated_sdk_version"


def parse_datetime(value):
    """The platform's date-times end in Z; Python 3.11 parses that."""
    return datetime.datetime.fromisoformat(value)


def problems(model_name, value, path="$"):
    """Every way `value` (parsed JSON) differs from the SDK model `model_name`."""
    out = []
    if model_name in ("str",):
        if not isinstance(value, str):
            out.append(f"{path}: {value!r} is not a string")
    elif model_name in ("int", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            out.append(f"{path}: {value!r} is not an integer")
    elif model_name == "float":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            out.append(f"{path}: {value!r} is not a number")
    elif model_name == "bool":
        if not isinstance(value, bool):
            out.append(f"{path}: {value!r} is not a boolean")
    elif model_name in ("datetime", "date"):
        try:
            if not isinstance(value, str):
                raise ValueError
            parse_datetime(value)
        except ValueError:
            out.append(f"{path}: {value!r} is not an ISO-8601 {model_name}")
    elif model_name == "object":
        pass
    elif (m := LIST.match(model_name)):
        if not isinstance(value, list):
            out.append(f"{path}: {value!r} is not a list")
        else:
            for i, item in enumerate(value):
                out.extend(problems(m.group(1), item, f"{path}[{i}]"))
    elif (m := DICT.match(model_name)):
        if not isinstance(value, dict):
            out.append(f"{path}: {value!r} is not an object")
        else:
            for key, item in value.items():
                out.extend(problems(m.group(2), item, f"{path}.{key}"))
    else:
        cls = getattr(gc, model_name)
        instance = cls()
        by_json = {json_key: attr for attr, json_key in instance.attribute_map.items()}
        if not isinstance(value, dict):
            return [f"{path}: {value!r} is not a {model_name} object"]
        for key, item in value.items():
            attr = by_json.get(key)
            if attr is None:
                out.append(f"{path}.{key}: not a field of {model_name}")
                continue
            out.extend(problems(instance.swagger_types[attr], item, f"{path}.{key}"))
            # Enum check: the generated setter maps unknown enum values to OUTDATED.
            if isinstance(item, str) and instance.swagger_types[attr] == "str":
                setattr(instance, attr, item)
                if getattr(instance, attr) == OUTDATED and item != OUTDATED:
                    out.append(f"{path}.{key}: {item!r} is not a value {model_name}.{attr} allows")
    return out
