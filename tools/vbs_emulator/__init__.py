# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A local emulator of Huawei Cloud IAM (password tokens, project lookup) and of
the VBS v2 backup-policy API, for trying and testing the collection without a
cloud account. Standard library only. See docs/emulator.md.
"""
