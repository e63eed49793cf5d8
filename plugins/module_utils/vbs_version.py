# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's version, sent in every User-Agent (a unit test keeps it equal to galaxy.yml)."""

COLLECTION_NAME = "huaweicloud.vbs"
COLLECTION_VERSION = "0.2.0"
