# Resource object code (Python 3)
# Created by: object code
# Created by: The Resource Compiler for Qt version 6.11.3
# WARNING! All changes made in this file will be lost!

from PySide6 import QtCore

qt_resource_data = b"\
\x00\x00\x03\x1f\
<\
?xml version=\x221.\
0\x22 encoding=\x22UTF\
-8\x22?>\x0a<!-- Deskt\
op Chat's icon: \
the master every\
 platform's icon\
 is made from. -\
->\x0a<svg xmlns=\x22h\
ttp://www.w3.org\
/2000/svg\x22 width\
=\x22256\x22 height=\x222\
56\x22 viewBox=\x220 0\
 256 256\x22>\x0a  <de\
fs>\x0a    <linearG\
radient id=\x22tile\
\x22 x1=\x220\x22 y1=\x220\x22 \
x2=\x220\x22 y2=\x221\x22>\x0a \
     <stop offse\
t=\x220\x22 stop-color\
=\x22#3b82f6\x22/>\x0a   \
   <stop offset=\
\x221\x22 stop-color=\x22\
#1e40af\x22/>\x0a    <\
/linearGradient>\
\x0a  </defs>\x0a  <re\
ct x=\x2216\x22 y=\x2216\x22\
 width=\x22224\x22 hei\
ght=\x22224\x22 rx=\x2252\
\x22 fill=\x22url(#til\
e)\x22/>\x0a  <path d=\
\x22M68 72 h120 a24\
 24 0 0 1 24 24 \
v60 a24 24 0 0 1\
 -24 24 h-62 l-3\
4 28 v-28 h-24\x0a \
          a24 24\
 0 0 1 -24 -24 v\
-60 a24 24 0 0 1\
 24 -24 z\x22 fill=\
\x22#ffffff\x22/>\x0a  <c\
ircle cx=\x2296\x22 cy\
=\x22126\x22 r=\x2211\x22 fi\
ll=\x22#1e40af\x22/>\x0a \
 <circle cx=\x22128\
\x22 cy=\x22126\x22 r=\x2211\
\x22 fill=\x22#1e40af\x22\
/>\x0a  <circle cx=\
\x22160\x22 cy=\x22126\x22 r\
=\x2211\x22 fill=\x22#1e4\
0af\x22/>\x0a</svg>\x0a\
"

qt_resource_name = b"\
\x00\x0c\
\x0bj\xdb\xe4\
\x00d\
\x00e\x00s\x00k\x00t\x00o\x00p\x00-\x00c\x00h\x00a\x00t\
\x00\x08\
\x0aaW'\
\x00i\
\x00c\x00o\x00n\x00.\x00s\x00v\x00g\
"

qt_resource_struct = b"\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x01\
\x00\x00\x00\x00\x00\x00\x00\x00\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x02\
\x00\x00\x00\x00\x00\x00\x00\x00\
\x00\x00\x00\x1e\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\
\x00\x00\x01\xa23\x04\xdf\xa8\
"


def qInitResources():
    QtCore.qRegisterResourceData(0x03, qt_resource_struct, qt_resource_name, qt_resource_data)


def qCleanupResources():
    QtCore.qUnregisterResourceData(0x03, qt_resource_struct, qt_resource_name, qt_resource_data)


qInitResources()
