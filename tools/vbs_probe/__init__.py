# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The conformance probe: how a real cloud answers what the VBS and EVS API references leave open,
observed with one volume and one temporary backup policy, and the emulator switches that mimic it.
See docs/conformance.md.
"""
