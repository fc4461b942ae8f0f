<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>Attaching</name>
    <message>
        <source>Attach images or files</source>
        <translation>Adjuntar imágenes o archivos</translation>
    </message>
    <message>
        <source>Images and text files (%1)</source>
        <translation>Imágenes y archivos de texto (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
    </message>
</context>
<context>
    <name>AttachmentChip</name>
    <message>
        <source>%1 × %2 px, %3</source>
        <translation>%1 × %2 px, %3</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Quitar %1</translation>
    </message>
    <message>
        <source>Attached: %1</source>
        <translation>Adjunto: %1</translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message>
        <source>{name} could not be read: {reason}.</source>
        <translation>No se pudo leer {name}: {reason}.</translation>
    </message>
    <message>
        <source>The pasted picture is empty.</source>
        <translation>La imagen pegada está vacía.</translation>
    </message>
    <message>
        <source>{name} looks like an image but could not be read: {reason}.</source>
        <translation>{name} parece una imagen, pero no se pudo leer: {reason}.</translation>
    </message>
    <message>
        <source>{name} is too large a picture ({width} × {height} pixels).</source>
        <translation>{name} es una imagen demasiado grande ({width} × {height} píxeles).</translation>
    </message>
    <message>
        <source>The image could not be read: {reason}.</source>
        <translation>No se pudo leer la imagen: {reason}.</translation>
    </message>
    <message>
        <source>{name} is too large to attach ({size}; the limit is {limit}).</source>
        <translation>{name} es demasiado grande para adjuntarlo ({size}; el límite es {limit}).</translation>
    </message>
    <message>
        <source>{name} cannot be attached: only images (PNG, JPEG, WebP, GIF) and UTF-8 text files can be.</source>
        <translation>No se puede adjuntar {name}: solo se pueden adjuntar imágenes (PNG, JPEG, WebP, GIF) y archivos de texto UTF-8.</translation>
    </message>
    <message>
        <source>{count} bytes</source>
        <translation>{count} bytes</translation>
    </message>
    <message>
        <source>{name} could not be saved: {reason}.</source>
        <translation>No se pudo guardar {name}: {reason}.</translation>
    </message>
    <message>
        <source>The attached file {name} has changed on disk ({file}), so it cannot be sent or shown.</source>
        <translation>El archivo adjunto {name} ha cambiado en el disco ({file}), así que no se puede enviar ni mostrar.</translation>
    </message>
    <message>
        <source>The attached file {name} is missing from the data folder ({file}).</source>
        <translation>Falta el archivo adjunto {name} en la carpeta de datos ({file}).</translation>
    </message>
    <message>
        <source>A message can carry at most {count} attachments.</source>
        <translation>Un mensaje puede llevar como máximo {count} adjuntos.</translation>
    </message>
</context>
<context>
    <name>ChatDefaultsTab</name>
    <message>
        <source>Default model</source>
        <translation>Modelo predeterminado</translation>
    </message>
    <message>
        <source>Default system prompt</source>
        <translation>Instrucciones del sistema predeterminadas</translation>
    </message>
    <message>
        <source>Restore the defa&amp;ult prompt</source>
        <translation>Restaurar las instrucciones &amp;predeterminadas</translation>
    </message>
    <message>
        <source>Leave it to the ser&amp;ver</source>
        <translation>Dejarlo al ser&amp;vidor</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatura</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Sin límite</translation>
    </message>
    <message>
        <source>Maximum output tokens</source>
        <translation>Máximo de tokens de salida</translation>
    </message>
    <message>
        <source>Enter (Shift+Enter for a new line)</source>
        <translation>Intro (Mayús+Intro para una línea nueva)</translation>
    </message>
    <message>
        <source>Ctrl+Enter (Enter for a new line)</source>
        <translation>Ctrl+Intro (Intro para una línea nueva)</translation>
    </message>
    <message>
        <source>Send messages with</source>
        <translation>Enviar los mensajes con</translation>
    </message>
    <message>
        <source>For new chats. Each chat keeps its own model and prompt.</source>
        <translation>Para los chats nuevos. Cada chat conserva su propio modelo e instrucciones.</translation>
    </message>
    <message>
        <source>Default &amp;model:</source>
        <translation>&amp;Modelo predeterminado:</translation>
    </message>
    <message>
        <source>System &amp;prompt:</source>
        <translation>&amp;Instrucciones del sistema:</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>&amp;Temperatura:</translation>
    </message>
    <message>
        <source>Max &amp;output tokens:</source>
        <translation>Máximo de tokens de &amp;salida:</translation>
    </message>
    <message>
        <source>S&amp;end messages with:</source>
        <translation>&amp;Enviar los mensajes con:</translation>
    </message>
</context>
<context>
    <name>ChatService</name>
    <message>
        <source>The conversations could not be opened: {reason}</source>
        <translation>No se pudieron abrir las conversaciones: {reason}</translation>
    </message>
    <message>
        <source>Could not write the copies in {folder}: {reason}.</source>
        <translation>No se pudieron escribir las copias en {folder}: {reason}.</translation>
    </message>
    <message>
        <source>This conversation was saved by a newer version of Desktop Chat. You can read it here, but not continue it.</source>
        <translation>Esta conversación la guardó una versión más reciente de Desktop Chat. Puedes leerla aquí, pero no continuarla.</translation>
    </message>
    <message>
        <source>The export was stopped.</source>
        <translation>Se detuvo la exportación.</translation>
    </message>
    <message>
        <source>Desktop Chat cannot write to its data folder {folder}, so it opened it read-only: you can read, search and export your conversations (to another folder), but nothing new can be asked or saved.</source>
        <translation>Desktop Chat no puede escribir en su carpeta de datos {folder}, así que la abrió en modo de solo lectura: puedes leer, buscar y exportar tus conversaciones (a otra carpeta), pero no se puede preguntar ni guardar nada nuevo.</translation>
    </message>
    <message>
        <source>This conversation was saved by a newer version; it is read-only.</source>
        <translation>Esta conversación la guardó una versión más reciente; es de solo lectura.</translation>
    </message>
    <message>
        <source>{server} does not offer {model}, so new chats use {offered}. Pick another in the model list above the conversation.</source>
        <translation>{server} no ofrece {model}, así que los chats nuevos usan {offered}. Puedes elegir otro en la lista de modelos sobre la conversación.</translation>
    </message>
    <message>
        <source>This conversation cannot be deleted while its latest changes cannot be saved: deleting it would lose them. Free some space and try again.</source>
        <translation>Esta conversación no se puede eliminar mientras no se puedan guardar sus últimos cambios: eliminarla los perdería. Libera algo de espacio y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>A conversation file could not be read and was moved, untouched, to {folder}: {names}</source>
        <translation>No se pudo leer un archivo de conversación y se movió, sin modificarlo, a {folder}: {names}</translation>
    </message>
    <message>
        <source>{count} conversation files could not be read and were moved, untouched, to {folder}: {names}</source>
        <translation>No se pudieron leer {count} archivos de conversación y se movieron, sin modificarlos, a {folder}: {names}</translation>
    </message>
    <message>
        <source>The search index could not be built, so search is unavailable; every conversation is listed and saved as usual. ({reason})</source>
        <translation>No se pudo crear el índice de búsqueda, así que la búsqueda no está disponible; todas las conversaciones se muestran y se guardan como siempre. ({reason})</translation>
    </message>
    <message>
        <source>Some conversations were saved by a newer version of Desktop Chat and cannot be shown by this one: {names}</source>
        <translation>Algunas conversaciones las guardó una versión más reciente de Desktop Chat y esta no puede mostrarlas: {names}</translation>
    </message>
</context>
<context>
    <name>ChatTitle</name>
    <message>
        <source>Double-click to rename</source>
        <translation>Doble clic para cambiar el nombre</translation>
    </message>
    <message>
        <source>Conversation title</source>
        <translation>Título de la conversación</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Attach images or files</source>
        <translation>Adjuntar imágenes o archivos</translation>
    </message>
    <message>
        <source>Attach images or text files (Ctrl+U), or drop or paste them here</source>
        <translation>Adjunta imágenes o archivos de texto (Ctrl+U), o suéltalos o pégalos aquí</translation>
    </message>
    <message>
        <source>Stop the reply (Esc)</source>
        <translation>Detener la respuesta (Esc)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>Enviar (Intro)</translation>
    </message>
    <message>
        <source>Ask anything… (Ctrl+Enter to send, Enter for a new line)</source>
        <translation>Pregunta lo que quieras… (Ctrl+Intro para enviar, Intro para una línea nueva)</translation>
    </message>
    <message>
        <source>Ask anything… (Enter to send, Shift+Enter for a new line)</source>
        <translation>Pregunta lo que quieras… (Intro para enviar, Mayús+Intro para una línea nueva)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
</context>
<context>
    <name>ComposerState</name>
    <message>
        <source>Wait for the reply to finish, or stop it, to edit.</source>
        <translation>Espera a que termine la respuesta, o detenla, para editar.</translation>
    </message>
    <message>
        <source>Editing a message: Enter sends it in place of the old one (which is kept as another version); Esc cancels.</source>
        <translation>Editando un mensaje: Intro lo envía en lugar del anterior (que se guarda como otra versión); Esc cancela.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
</context>
<context>
    <name>Context</name>
    <message>
        <source>This message is too long for the model: about {used} tokens, and the model takes about {budget}. Shorten it or split it into parts, or pick a model with a larger context window.</source>
        <translation>Este mensaje es demasiado largo para el modelo: unos {used} tokens, y el modelo admite unos {budget}. Acórtalo o divídelo en partes, o elige un modelo con una ventana de contexto mayor.</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <source>Conversation title</source>
        <translation>Título de la conversación</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>Pinned</source>
        <translation>Fijadas</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Ayer</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>Últimos 7 días</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Anteriores</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>New chat</source>
        <translation>Nuevo chat</translation>
    </message>
</context>
<context>
    <name>ConversationPanel</name>
    <message>
        <source>New chat</source>
        <translation>Nuevo chat</translation>
    </message>
    <message>
        <source>The reply stopped: %1</source>
        <translation>La respuesta se detuvo: %1</translation>
    </message>
    <message>
        <source>Reply finished: %1</source>
        <translation>Respuesta terminada: %1</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Ajustes…</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Reintentar</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Desktop Chat</source>
        <translation>Desktop Chat</translation>
    </message>
    <message>
        <source>Something went wrong inside Desktop Chat.</source>
        <translation>Algo ha fallado dentro de Desktop Chat.</translation>
    </message>
    <message>
        <source>Your conversations are saved. The details are in the log:
%1

You can keep working, or quit and start Desktop Chat again.</source>
        <translation>Tus conversaciones están guardadas. Los detalles están en el registro:
%1

Puedes seguir trabajando, o salir y volver a abrir Desktop Chat.</translation>
    </message>
    <message>
        <source>Open the log folder</source>
        <translation>Abrir la carpeta del registro</translation>
    </message>
    <message>
        <source>Keep working</source>
        <translation>Seguir trabajando</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
</context>
<context>
    <name>DataTab</name>
    <message>
        <source>Data folder</source>
        <translation>Carpeta de datos</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>&amp;Abrir carpeta</translation>
    </message>
    <message>
        <source>Your conversations are plain JSON files in this folder, one per chat. Start Desktop Chat with --data-dir to use another folder. API keys are never kept here.</source>
        <translation>Tus conversaciones son archivos JSON simples en esta carpeta, uno por chat. Abre Desktop Chat con --data-dir para usar otra carpeta. Las claves de API nunca se guardan aquí.</translation>
    </message>
    <message>
        <source>Data &amp;folder:</source>
        <translation>&amp;Carpeta de datos:</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>How can I help you today?</source>
        <translation>¿En qué puedo ayudarte hoy?</translation>
    </message>
    <message>
        <source>Try one of these, or write your own question below.</source>
        <translation>Prueba una de estas, o escribe tu propia pregunta abajo.</translation>
    </message>
</context>
<context>
    <name>ExampleQuestions</name>
    <message>
        <source>What is a chatbot?</source>
        <translation>¿Qué es un chatbot?</translation>
    </message>
    <message>
        <source>Can machines learn?</source>
        <translation>¿Pueden aprender las máquinas?</translation>
    </message>
    <message>
        <source>How does a neural network work?</source>
        <translation>¿Cómo funciona una red neuronal?</translation>
    </message>
    <message>
        <source>Give me three tips to write clearer emails.</source>
        <translation>Dame tres consejos para escribir correos más claros.</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>There is nothing to export.</source>
        <translation>No hay nada que exportar.</translation>
    </message>
    <message>
        <source>Cannot create the folder {folder}: {reason}.</source>
        <translation>No se puede crear la carpeta {folder}: {reason}.</translation>
    </message>
    <message>
        <source>{folder} is not a folder.</source>
        <translation>{folder} no es una carpeta.</translation>
    </message>
    <message>
        <source>Could not write {file}: {reason}. {done} of {total} were exported.</source>
        <translation>No se pudo escribir {file}: {reason}. Se exportaron {done} de {total}.</translation>
    </message>
    <message>
        <source>en</source>
        <comment>the language code of the exported page</comment>
        <translation>es</translation>
    </message>
    <message>
        <source>Exported from Desktop Chat.</source>
        <translation>Exportado desde Desktop Chat.</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Instrucciones del sistema</translation>
    </message>
    <message>
        <source>Image: {name}</source>
        <translation>Imagen: {name}</translation>
    </message>
    <message>
        <source>Untitled conversation</source>
        <translation>Conversación sin título</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Tú</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <source>Assistant ({model})</source>
        <translation>Asistente ({model})</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Asistente</translation>
    </message>
    <message>
        <source>This reply failed: {reason}</source>
        <translation>Esta respuesta falló: {reason}</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>error desconocido</translation>
    </message>
    <message>
        <source>it was interrupted</source>
        <translation>se interrumpió</translation>
    </message>
    <message>
        <source>This reply stopped early: {reason}</source>
        <translation>Esta respuesta se detuvo antes de terminar: {reason}</translation>
    </message>
    <message>
        <source>Thoughts</source>
        <translation>Razonamiento</translation>
    </message>
    <message>
        <source>Thought for {seconds} s</source>
        <translation>Pensó durante {seconds} s</translation>
    </message>
    <message>
        <source>{count} reasoning tokens</source>
        <translation>{count} tokens de razonamiento</translation>
    </message>
    <message>
        <source>Started {time}</source>
        <translation>Empezada el {time}</translation>
    </message>
    <message>
        <source>last message {time}</source>
        <translation>último mensaje el {time}</translation>
    </message>
    <message>
        <source>1 message</source>
        <translation>1 mensaje</translation>
    </message>
    <message>
        <source>{count} messages</source>
        <translation>{count} mensajes</translation>
    </message>
    <message>
        <source>Image: {name}, {width} × {height}</source>
        <translation>Imagen: {name}, {width} × {height}</translation>
    </message>
    <message>
        <source>File: {name}</source>
        <translation>Archivo: {name}</translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation>Instrucciones del sistema:</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(vacío)</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export “%1”</source>
        <translation>Exportar «%1»</translation>
    </message>
    <message>
        <source>Export %1 conversations</source>
        <translation>Exportar %1 conversaciones</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>File to write</source>
        <translation>Archivo que se escribirá</translation>
    </message>
    <message>
        <source>Folder to write into</source>
        <translation>Carpeta donde se escribirá</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>&amp;Elegir…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>E&amp;xportar</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>&amp;Abrir carpeta</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Formato:</translation>
    </message>
    <message>
        <source>&amp;Save as:</source>
        <translation>&amp;Guardar como:</translation>
    </message>
    <message>
        <source>&amp;Into folder:</source>
        <translation>En la car&amp;peta:</translation>
    </message>
    <message>
        <source>Desktop Chat export</source>
        <translation>Exportación de Desktop Chat</translation>
    </message>
    <message>
        <source>Choose where to export to.</source>
        <translation>Elige dónde exportar.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exportando…</translation>
    </message>
    <message>
        <source>Cancelled after %1 of %2.</source>
        <translation>Cancelado tras %1 de %2.</translation>
    </message>
    <message>
        <source>Exported 1 conversation to %1.</source>
        <translation>Se exportó 1 conversación a %1.</translation>
    </message>
    <message>
        <source>Exported %1 conversations to %2.</source>
        <translation>Se exportaron %1 conversaciones a %2.</translation>
    </message>
    <message>
        <source>%1 could not be read and were left out.</source>
        <translation>%1 no se pudieron leer y se dejaron fuera.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
</context>
<context>
    <name>ExportFormat</name>
    <message>
        <source>Markdown</source>
        <translation>Markdown</translation>
    </message>
    <message>
        <source>Web page (HTML)</source>
        <translation>Página web (HTML)</translation>
    </message>
    <message>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <source>JSON (imports back into Desktop Chat)</source>
        <translation>JSON (se puede volver a importar en Desktop Chat)</translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation>Texto sin formato</translation>
    </message>
</context>
<context>
    <name>Failures</name>
    <message>
        <source>The model refused every way of asking.</source>
        <translation>El modelo rechazó todas las formas de preguntarle.</translation>
    </message>
    <message>
        <source>Enter an API key first.</source>
        <translation>Primero escribe una clave de API.</translation>
    </message>
    <message>
        <source>No API key is set. Add one in Settings (Ctrl+,), or set OPENAI_API_KEY.</source>
        <translation>No hay ninguna clave de API. Añade una en Ajustes (Ctrl+,) o define OPENAI_API_KEY.</translation>
    </message>
    <message>
        <source>{server} stopped sending in the middle of the reply. What arrived is kept; Retry to ask again.</source>
        <translation>{server} dejó de enviar a mitad de la respuesta. Lo que llegó se conserva; pulsa Reintentar para preguntar de nuevo.</translation>
    </message>
    <message>
        <source>{server} did not answer in time. Check your connection, then retry.</source>
        <translation>{server} no respondió a tiempo. Comprueba tu conexión y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>{server} did not answer in time.</source>
        <translation>{server} no respondió a tiempo.</translation>
    </message>
    <message>
        <source>The connection dropped while the reply was arriving. What arrived is kept; Retry to ask again.</source>
        <translation>La conexión se cortó mientras llegaba la respuesta. Lo que llegó se conserva; pulsa Reintentar para preguntar de nuevo.</translation>
    </message>
    <message>
        <source>Could not find the server {server}. Check the base URL and that you are online.</source>
        <translation>No se encontró el servidor {server}. Comprueba la URL base y que tienes conexión a internet.</translation>
    </message>
    <message>
        <source>Could not find the server {server}.</source>
        <translation>No se encontró el servidor {server}.</translation>
    </message>
    <message>
        <source>Nothing is answering at {server}. If it is a local server, is it running?</source>
        <translation>Nada responde en {server}. Si es un servidor local, ¿está en marcha?</translation>
    </message>
    <message>
        <source>Nothing is answering at {server}.</source>
        <translation>Nada responde en {server}.</translation>
    </message>
    <message>
        <source>Could not reach {server}. Check your connection and the base URL, then retry.</source>
        <translation>No se pudo contactar con {server}. Comprueba tu conexión y la URL base, y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>Could not reach {server}.</source>
        <translation>No se pudo contactar con {server}.</translation>
    </message>
    <message>
        <source>{server} reported an error while answering: {detail}. Retry in a moment.</source>
        <translation>{server} informó de un error al responder: {detail}. Vuelve a intentarlo en un momento.</translation>
    </message>
    <message>
        <source>{server} sent something this app could not read. What arrived is kept. Is the base URL an OpenAI-compatible /v1 endpoint?</source>
        <translation>{server} envió algo que esta aplicación no pudo leer. Lo que llegó se conserva. ¿La URL base es un punto de acceso /v1 compatible con OpenAI?</translation>
    </message>
    <message>
        <source>The request failed.</source>
        <translation>La solicitud falló.</translation>
    </message>
    <message>
        <source> The server said: {detail}</source>
        <translation> El servidor dijo: {detail}</translation>
    </message>
    <message>
        <source>The server rejected the API key (401). Check the key — it may be mistyped, revoked, or for another provider.</source>
        <translation>El servidor rechazó la clave de API (401). Comprueba la clave: puede que esté mal escrita, revocada o que sea de otro proveedor.</translation>
    </message>
    <message>
        <source>This key is not allowed to use this model or endpoint (403).</source>
        <translation>Esta clave no tiene permiso para usar este modelo o punto de acceso (403).</translation>
    </message>
    <message>
        <source>The server does not know this model, or the base URL is wrong (404). Pick another model, or check the base URL.</source>
        <translation>El servidor no conoce este modelo, o la URL base es incorrecta (404). Elige otro modelo o comprueba la URL base.</translation>
    </message>
    <message>
        <source>Your account has run out of credit or reached its spending limit (429). Check the plan and billing for this key; retrying will not help until then.</source>
        <translation>Tu cuenta se ha quedado sin crédito o ha alcanzado su límite de gasto (429). Revisa el plan y la facturación de esta clave; reintentar no servirá hasta entonces.</translation>
    </message>
    <message>
        <source>The server is rate limiting requests (429).</source>
        <translation>El servidor está limitando la frecuencia de las solicitudes (429).</translation>
    </message>
    <message>
        <source>The conversation is too long for this model&apos;s context window (400). Start a new chat, or pick a model with a larger context window.</source>
        <translation>La conversación es demasiado larga para la ventana de contexto de este modelo (400). Empieza un chat nuevo o elige un modelo con una ventana de contexto mayor.</translation>
    </message>
    <message>
        <source>This model does not accept images ({status}). Pick a model that can see images and Retry, or Edit the question to send it without them.</source>
        <translation>Este modelo no acepta imágenes ({status}). Elige un modelo que pueda ver imágenes y pulsa Reintentar, o edita la pregunta para enviarla sin ellas.</translation>
    </message>
    <message>
        <source>The server refused the request ({status}).</source>
        <translation>El servidor rechazó la solicitud ({status}).</translation>
    </message>
    <message>
        <source>{server} had a problem ({status}). Retry in a moment.</source>
        <translation>{server} tuvo un problema ({status}). Vuelve a intentarlo en un momento.</translation>
    </message>
    <message>
        <source>{server} had a problem ({status}).</source>
        <translation>{server} tuvo un problema ({status}).</translation>
    </message>
    <message>
        <source>The server answered with an error ({status}).</source>
        <translation>El servidor respondió con un error ({status}).</translation>
    </message>
    <message>
        <source>Retry in a moment.</source>
        <translation>Vuelve a intentarlo en un momento.</translation>
    </message>
    <message>
        <source>Retry in about {seconds} s.</source>
        <translation>Vuelve a intentarlo dentro de unos {seconds} s.</translation>
    </message>
    <message>
        <source>Retry in about {minutes} min.</source>
        <translation>Vuelve a intentarlo dentro de unos {minutes} min.</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find in this conversation</source>
        <translation>Buscar en esta conversación</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter)</source>
        <translation>Coincidencia anterior (Mayús+Intro)</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>Coincidencia anterior</translation>
    </message>
    <message>
        <source>Next match (Enter)</source>
        <translation>Coincidencia siguiente (Intro)</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>Coincidencia siguiente</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Cerrar (Esc)</translation>
    </message>
    <message>
        <source>Close the find bar</source>
        <translation>Cerrar la barra de búsqueda</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Sin coincidencias</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modelo:</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>The model that answers in this conversation</source>
        <translation>El modelo que responde en esta conversación</translation>
    </message>
    <message>
        <source>&amp;Reasoning:</source>
        <translation>&amp;Razonamiento:</translation>
    </message>
    <message>
        <source>Reasoning effort</source>
        <translation>Esfuerzo de razonamiento</translation>
    </message>
    <message>
        <source>How hard the model thinks before it answers, in this conversation</source>
        <translation>Cuánto piensa el modelo antes de responder, en esta conversación</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Instrucciones del sistema</translation>
    </message>
    <message>
        <source>Alt+P</source>
        <comment>System prompt</comment>
        <translation>Alt+I</translation>
    </message>
    <message>
        <source>System prompt: how the assistant should behave in this conversation</source>
        <translation>Instrucciones del sistema: cómo debe comportarse el asistente en esta conversación</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Por defecto</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Desactivado</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Activado</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguno</translation>
    </message>
    <message>
        <source>Minimal</source>
        <translation>Mínimo</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Bajo</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Medio</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Alto</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>%1 × %2 pixels</source>
        <translation>%1 × %2 píxeles</translation>
    </message>
    <message>
        <source>Open in the &amp;system viewer</source>
        <translation>Abrir en el &amp;visor del sistema</translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <source>a ChatGPT export</source>
        <translation>una exportación de ChatGPT</translation>
    </message>
    <message>
        <source>Desktop Chat JSON files</source>
        <translation>archivos JSON de Desktop Chat</translation>
    </message>
    <message>
        <source>{file} does not exist.</source>
        <translation>{file} no existe.</translation>
    </message>
    <message>
        <source>{file} is neither a ChatGPT export (conversations.json) nor a conversation exported from Desktop Chat.</source>
        <translation>{file} no es una exportación de ChatGPT (conversations.json) ni una conversación exportada desde Desktop Chat.</translation>
    </message>
    <message>
        <source>{folder} holds no conversations.json and no conversation (.json) files.</source>
        <translation>{folder} no contiene conversations.json ni archivos de conversación (.json).</translation>
    </message>
    <message>
        <source>{file} is a ZIP file without conversations.json: not a ChatGPT export, and no conversation files in it either.</source>
        <translation>{file} es un archivo ZIP sin conversations.json: no es una exportación de ChatGPT, y tampoco contiene archivos de conversación.</translation>
    </message>
    <message>
        <source>{file} is a damaged ZIP file ({reason}).</source>
        <translation>{file} es un archivo ZIP dañado ({reason}).</translation>
    </message>
    <message>
        <source>{file} in {folder} is not a conversation exported from Desktop Chat.</source>
        <translation>{file} en {folder} no es una conversación exportada desde Desktop Chat.</translation>
    </message>
    <message>
        <source>{file} is too large to import ({size} bytes).</source>
        <translation>{file} es demasiado grande para importarlo ({size} bytes).</translation>
    </message>
    <message>
        <source>{file} is too large to import.</source>
        <translation>{file} es demasiado grande para importarlo.</translation>
    </message>
    <message>
        <source>{file} could not be read: {reason}.</source>
        <translation>No se pudo leer {file}: {reason}.</translation>
    </message>
    <message>
        <source>{file} is {reason}.</source>
        <translation>{file}: {reason}.</translation>
    </message>
    <message>
        <source>{file} is not a ChatGPT export: it should hold a list of conversations.</source>
        <translation>{file} no es una exportación de ChatGPT: debería contener una lista de conversaciones.</translation>
    </message>
    <message>
        <source>{file}, conversation {number}</source>
        <translation>{file}, conversación {number}</translation>
    </message>
    <message>
        <source>{where} is not a conversation object.</source>
        <translation>{where} no es un objeto de conversación.</translation>
    </message>
    <message>
        <source>{where} has no message tree (&apos;mapping&apos;).</source>
        <translation>{where} no tiene árbol de mensajes (&apos;mapping&apos;).</translation>
    </message>
    <message>
        <source>{where} has no id.</source>
        <translation>{where} no tiene id.</translation>
    </message>
    <message>
        <source>Imported conversation</source>
        <translation>Conversación importada</translation>
    </message>
    <message>
        <source>{where} has an empty or circular message tree.</source>
        <translation>{where} tiene un árbol de mensajes vacío o circular.</translation>
    </message>
    <message>
        <source>{where} has a circular message tree.</source>
        <translation>{where} tiene un árbol de mensajes circular.</translation>
    </message>
    <message>
        <source>The reply was not finished in ChatGPT.</source>
        <translation>La respuesta no llegó a terminarse en ChatGPT.</translation>
    </message>
    <message>
        <source>{file} is not a valid conversation: {reason}.</source>
        <translation>{file} no es una conversación válida: {reason}.</translation>
    </message>
    <message>
        <source>{file} was exported by a newer version of Desktop Chat. Update Desktop Chat to import it.</source>
        <translation>{file} lo exportó una versión más reciente de Desktop Chat. Actualiza Desktop Chat para importarlo.</translation>
    </message>
</context>
<context>
    <name>InterfaceTab</name>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>As the system (%1)</source>
        <translation>Como el sistema (%1)</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>Colores</translation>
    </message>
    <message>
        <source>As the system (light or dark)</source>
        <translation>Como el sistema (claro u oscuro)</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <source>C&amp;olours:</source>
        <translation>C&amp;olores:</translation>
    </message>
</context>
<context>
    <name>KeyField</name>
    <message>
        <source>API key</source>
        <translation>Clave de API</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>Show the key</source>
        <translation>Mostrar la clave</translation>
    </message>
    <message>
        <source>Show or hide the key</source>
        <translation>Mostrar u ocultar la clave</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Ocultar</translation>
    </message>
</context>
<context>
    <name>KeyPageLink</name>
    <message>
        <source>&lt;a href=&quot;%1&quot;&gt;Create a key&lt;/a&gt; (it opens in your browser)</source>
        <translation>&lt;a href=&quot;%1&quot;&gt;Crear una clave&lt;/a&gt; (se abre en tu navegador)</translation>
    </message>
</context>
<context>
    <name>KeySource</name>
    <message>
        <source>Looking for a saved key…</source>
        <translation>Buscando una clave guardada…</translation>
    </message>
    <message>
        <source>Using the key from the environment (OPENAI_API_KEY). A key saved here is used when that variable is not set.</source>
        <translation>Se usa la clave del entorno (OPENAI_API_KEY). Una clave guardada aquí se usa cuando esa variable no está definida.</translation>
    </message>
    <message>
        <source>A key is saved in the system keyring.</source>
        <translation>Hay una clave guardada en el llavero del sistema.</translation>
    </message>
    <message>
        <source>A key is kept for this session only.</source>
        <translation>Hay una clave guardada solo para esta sesión.</translation>
    </message>
    <message>
        <source>A key is saved in a plain-text file (not encrypted).</source>
        <translation>Hay una clave guardada en un archivo de texto sin cifrar.</translation>
    </message>
    <message>
        <source>No key is saved.</source>
        <translation>No hay ninguna clave guardada.</translation>
    </message>
</context>
<context>
    <name>KeyStorageChoice</name>
    <message>
        <source>Keep it for this session &amp;only</source>
        <translation>Guardarla solo para esta sesió&amp;n</translation>
    </message>
    <message>
        <source>Desktop Chat asks for the key again next time.</source>
        <translation>Desktop Chat volverá a pedir la clave la próxima vez.</translation>
    </message>
    <message>
        <source>Save it in a plain-text &amp;file (not encrypted)</source>
        <translation>Guardarla en un &amp;archivo de texto (sin cifrar)</translation>
    </message>
    <message>
        <source>Anyone who can read your files, or a backup of them, can use the key.</source>
        <translation>Cualquiera que pueda leer tus archivos, o una copia de seguridad de ellos, podrá usar la clave.</translation>
    </message>
    <message>
        <source>The key cannot be kept safely on this computer now. You can keep it for this session only, or save it unencrypted in a file that anyone who can read your files could use.</source>
        <translation>Ahora no se puede guardar la clave de forma segura en este equipo. Puedes guardarla solo para esta sesión, o guardarla sin cifrar en un archivo que podría usar cualquiera que lea tus archivos.</translation>
    </message>
</context>
<context>
    <name>LibraryActions</name>
    <message>
        <source>There is nothing to export yet.</source>
        <translation>Todavía no hay nada que exportar.</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversación</translation>
    </message>
    <message>
        <source>Import conversations</source>
        <translation>Importar conversaciones</translation>
    </message>
    <message>
        <source>ChatGPT export or Desktop Chat JSON (*.zip *.json)</source>
        <translation>Exportación de ChatGPT o JSON de Desktop Chat (*.zip *.json)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>Importando %1…</translation>
    </message>
    <message>
        <source>Imported 1 conversation from %1.</source>
        <translation>Se importó 1 conversación de %1.</translation>
    </message>
    <message>
        <source>Imported %1 conversations from %2.</source>
        <translation>Se importaron %1 conversaciones de %2.</translation>
    </message>
    <message>
        <source>%1 were already here and were left as they are.</source>
        <translation>%1 ya estaban aquí y se dejaron como estaban.</translation>
    </message>
    <message>
        <source>Deleted “%1”. It is in the trash folder.</source>
        <translation>Se eliminó «%1». Está en la carpeta de la papelera.</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <source>When Desktop Chat last quit, it could not save %1 and kept it in a recovery folder.</source>
        <translation>La última vez que Desktop Chat se cerró no pudo guardar %1 y la conservó en una carpeta de recuperación.</translation>
    </message>
    <message>
        <source>When Desktop Chat last quit, it could not save %1 and kept them in a recovery folder.</source>
        <translation>La última vez que Desktop Chat se cerró no pudo guardar %1 y las conservó en una carpeta de recuperación.</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Recuperar</translation>
    </message>
    <message>
        <source>Restored %1 conversations.</source>
        <translation>Se recuperaron %1 conversaciones.</translation>
    </message>
    <message>
        <source>Restored 1 conversation.</source>
        <translation>Se recuperó 1 conversación.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Desktop Chat</source>
        <translation>Desktop Chat</translation>
    </message>
    <message>
        <source>&amp;New chat</source>
        <translation>&amp;Nuevo chat</translation>
    </message>
    <message>
        <source>Stop reply</source>
        <translation>Detener la respuesta</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Ajustes…</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importar…</translation>
    </message>
    <message>
        <source>Import a ChatGPT data export, or conversations exported as JSON</source>
        <translation>Importar una exportación de datos de ChatGPT, o conversaciones exportadas como JSON</translation>
    </message>
    <message>
        <source>&amp;Export this conversation…</source>
        <translation>&amp;Exportar esta conversación…</translation>
    </message>
    <message>
        <source>Export &amp;all conversations…</source>
        <translation>Exportar &amp;todas las conversaciones…</translation>
    </message>
    <message>
        <source>Search all &amp;chats</source>
        <translation>Buscar en todos los &amp;chats</translation>
    </message>
    <message>
        <source>&amp;Find in conversation</source>
        <translation>&amp;Buscar en la conversación</translation>
    </message>
    <message>
        <source>A&amp;ttach images or files…</source>
        <translation>A&amp;djuntar imágenes o archivos…</translation>
    </message>
    <message>
        <source>&amp;Retry or regenerate the last reply</source>
        <translation>&amp;Reintentar o regenerar la última respuesta</translation>
    </message>
    <message>
        <source>Copy the last &amp;reply</source>
        <translation>Copiar la última &amp;respuesta</translation>
    </message>
    <message>
        <source>&amp;Sidebar</source>
        <translation>&amp;Barra lateral</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Atajos de teclado</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>The data folder was locked by process %1, which did not answer as Desktop Chat (a lock left by an earlier run whose process number another program now has). Desktop Chat took the lock over.</source>
        <translation>La carpeta de datos estaba bloqueada por el proceso %1, que no respondió como Desktop Chat (un bloqueo que dejó una ejecución anterior cuyo número de proceso tiene ahora otro programa). Desktop Chat tomó el bloqueo.</translation>
    </message>
</context>
<context>
    <name>MessageActions</name>
    <message>
        <source>Message actions</source>
        <translation>Acciones del mensaje</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Editar</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Regenerar</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>Versión anterior</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>Versión siguiente</translation>
    </message>
    <message>
        <source>Version %1 of %2</source>
        <translation>Versión %1 de %2</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <source>You</source>
        <translation>Tú</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Asistente</translation>
    </message>
    <message>
        <source>Stopped: this reply is incomplete.</source>
        <translation>Detenida: esta respuesta está incompleta.</translation>
    </message>
    <message>
        <source>The reply failed.</source>
        <translation>La respuesta falló.</translation>
    </message>
    <message>
        <source>… Showing the first %1 of %2 characters.</source>
        <translation>… Se muestran los primeros %1 de %2 caracteres.</translation>
    </message>
    <message>
        <source>%1 (click to view)</source>
        <translation>%1 (haz clic para verla)</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Ocultar</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>1 earlier message was left out to fit the model&apos;s context window.</source>
        <translation>Se omitió 1 mensaje anterior para caber en la ventana de contexto del modelo.</translation>
    </message>
    <message>
        <source>%1 earlier messages were left out to fit the model&apos;s context window.</source>
        <translation>Se omitieron %1 mensajes anteriores para caber en la ventana de contexto del modelo.</translation>
    </message>
    <message>
        <source>%1 tokens in · %2 out</source>
        <translation>%1 tokens de entrada · %2 de salida</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>Copiar código</translation>
    </message>
    <message>
        <source>Image: {name}</source>
        <translation>Imagen: {name}</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversación</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copiado</translation>
    </message>
    <message>
        <source>Hide the thoughts</source>
        <translation>Ocultar el razonamiento</translation>
    </message>
    <message>
        <source>Show the thoughts</source>
        <translation>Mostrar el razonamiento</translation>
    </message>
    <message>
        <source>Thinking… %1 s</source>
        <translation>Pensando… %1 s</translation>
    </message>
    <message>
        <source>Thoughts</source>
        <translation>Razonamiento</translation>
    </message>
    <message>
        <source>Thought for %1 s</source>
        <translation>Pensó durante %1 s</translation>
    </message>
    <message>
        <source>Reasoned for %1 s</source>
        <translation>Razonó durante %1 s</translation>
    </message>
    <message>
        <source>%1 reasoning tokens</source>
        <translation>%1 tokens de razonamiento</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Falta</translation>
    </message>
</context>
<context>
    <name>NetworkTab</name>
    <message>
        <source>Use the s&amp;ystem&apos;s proxy settings</source>
        <translation>Usar la configuración de proxy del s&amp;istema</translation>
    </message>
    <message>
        <source>HTTPS_PROXY and NO_PROXY from the environment, else the system&apos;s settings</source>
        <translation>HTTPS_PROXY y NO_PROXY del entorno o, si no, la configuración del sistema</translation>
    </message>
    <message>
        <source>No pro&amp;xy</source>
        <translation>Sin pro&amp;xy</translation>
    </message>
    <message>
        <source>&amp;Manual proxy:</source>
        <translation>Proxy &amp;manual:</translation>
    </message>
    <message>
        <source>Proxy URL</source>
        <translation>URL del proxy</translation>
    </message>
    <message>
        <source>Connect to the server through:</source>
        <translation>Conectar con el servidor a través de:</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
</context>
<context>
    <name>PastedText</name>
    <message>
        <source>Remove the pasted text</source>
        <translation>Quitar el texto pegado</translation>
    </message>
    <message>
        <source>Pasted text, %1 characters</source>
        <translation>Texto pegado, %1 caracteres</translation>
    </message>
</context>
<context>
    <name>ProfileListModel</name>
    <message>
        <source>(no name)</source>
        <translation>(sin nombre)</translation>
    </message>
    <message>
        <source>%1 (in use)</source>
        <translation>%1 (en uso)</translation>
    </message>
</context>
<context>
    <name>Providers</name>
    <message>
        <source>The base URL must start with http:// or https://.</source>
        <translation>La URL base debe empezar por http:// o https://.</translation>
    </message>
    <message>
        <source>The base URL needs a host name, like http://localhost:11434/v1.</source>
        <translation>La URL base necesita un nombre de host, como http://localhost:11434/v1.</translation>
    </message>
    <message>
        <source>Replace the {placeholder} in the base URL with your own value.</source>
        <translation>Sustituye el {marcador} de la URL base por tu propio valor.</translation>
    </message>
    <message>
        <source>The base URL cannot contain ? or #.</source>
        <translation>La URL base no puede contener ? ni #.</translation>
    </message>
</context>
<context>
    <name>QuitGuard</name>
    <message>
        <source>They still cannot be saved.</source>
        <translation>Siguen sin poder guardarse.</translation>
    </message>
    <message>
        <source>Save a copy of the unsaved conversations</source>
        <translation>Guardar una copia de las conversaciones sin guardar</translation>
    </message>
    <message>
        <source>Copied %1 conversations.</source>
        <translation>Se copiaron %1 conversaciones.</translation>
    </message>
</context>
<context>
    <name>Replies</name>
    <message>
        <source>Something unexpected went wrong. The details are in the log.</source>
        <translation>Algo inesperado salió mal. Los detalles están en el registro.</translation>
    </message>
    <message>
        <source>{what} Trying again in {seconds} s…</source>
        <translation>{what} Se reintentará dentro de {seconds} s…</translation>
    </message>
    <message>
        <source>{model} does not accept the “{setting}” setting here, so it was left out.</source>
        <translation>{model} no acepta aquí el ajuste «{setting}», así que se omitió.</translation>
    </message>
    <message>
        <source>The model stopped while still thinking, before it answered. Retry, or choose a lower reasoning effort.</source>
        <translation>El modelo se detuvo mientras aún pensaba, antes de responder. Reintenta o elige un esfuerzo de razonamiento menor.</translation>
    </message>
    <message>
        <source>The reply reached its length limit (max output tokens). Continue to get the rest.</source>
        <translation>La respuesta alcanzó su límite de longitud (máximo de tokens de salida). Pulsa Continuar para obtener el resto.</translation>
    </message>
    <message>
        <source>The server&apos;s content filter stopped the reply.</source>
        <translation>El filtro de contenido del servidor detuvo la respuesta.</translation>
    </message>
    <message>
        <source>The server stopped before the reply was finished. Continue or retry.</source>
        <translation>El servidor se detuvo antes de terminar la respuesta. Pulsa Continuar o Reintentar.</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>Search all chats (Ctrl+K)</source>
        <translation>Buscar en todos los chats (Ctrl+K)</translation>
    </message>
    <message>
        <source>Search all chats</source>
        <translation>Buscar en todos los chats</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Resultados de la búsqueda</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Sin título</translation>
    </message>
    <message>
        <source>Many matches; the most recent first.</source>
        <translation>Muchas coincidencias; primero las más recientes.</translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>No se encontró nada.</translation>
    </message>
    <message>
        <source>1 conversation</source>
        <translation>1 conversación</translation>
    </message>
    <message>
        <source>%1 conversations</source>
        <translation>%1 conversaciones</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>You</source>
        <translation>Tú</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Asistente</translation>
    </message>
    <message>
        <source>Assistant&apos;s thoughts</source>
        <translation>Razonamiento del asistente</translation>
    </message>
    <message>
        <source>Conversation: %1</source>
        <translation>Conversación: %1</translation>
    </message>
</context>
<context>
    <name>Secrets</name>
    <message>
        <source>No system keyring is available (on Linux, the Secret Service of GNOME Keyring or KWallet).</source>
        <translation>No hay ningún llavero del sistema disponible (en Linux, el Secret Service de GNOME Keyring o KWallet).</translation>
    </message>
    <message>
        <source>The key file could not be read: {reason}</source>
        <translation>No se pudo leer el archivo de claves: {reason}</translation>
    </message>
    <message>
        <source>No key file is configured.</source>
        <translation>No hay ningún archivo de claves configurado.</translation>
    </message>
    <message>
        <source>The key file could not be written: {reason}</source>
        <translation>No se pudo escribir el archivo de claves: {reason}</translation>
    </message>
    <message>
        <source>The key file could not be changed: {reason}</source>
        <translation>No se pudo modificar el archivo de claves: {reason}</translation>
    </message>
    <message>
        <source>The system keyring is locked. Unlock it, then try again.</source>
        <translation>El llavero del sistema está bloqueado. Desbloquéalo y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>No system keyring is available.</source>
        <translation>No hay ningún llavero del sistema disponible.</translation>
    </message>
    <message>
        <source>The system keyring refused the request ({error}).</source>
        <translation>El llavero del sistema rechazó la solicitud ({error}).</translation>
    </message>
    <message>
        <source>{file} is damaged and cannot be read</source>
        <translation>{file} está dañado y no se puede leer</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Give the profile a name.</source>
        <translation>Ponle un nombre al perfil.</translation>
    </message>
    <message>
        <source>A profile</source>
        <translation>Un perfil</translation>
    </message>
    <message>
        <source>{profile}: {problem}</source>
        <translation>{profile}: {problem}</translation>
    </message>
    <message>
        <source>Keep at least one server profile.</source>
        <translation>Conserva al menos un perfil de servidor.</translation>
    </message>
    <message>
        <source>Two profiles have the same id.</source>
        <translation>Dos perfiles tienen el mismo id.</translation>
    </message>
    <message>
        <source>Choose a default model.</source>
        <translation>Elige un modelo predeterminado.</translation>
    </message>
    <message>
        <source>The proxy must be a URL like http://proxy.example.com:3128.</source>
        <translation>El proxy debe ser una URL como http://proxy.example.com:3128.</translation>
    </message>
    <message>
        <source>The proxy&apos;s port must be a number.</source>
        <translation>El puerto del proxy debe ser un número.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>Co&amp;nnection</source>
        <translation>Co&amp;nexión</translation>
    </message>
    <message>
        <source>C&amp;hat</source>
        <translation>C&amp;hat</translation>
    </message>
    <message>
        <source>&amp;Interface</source>
        <translation>In&amp;terfaz</translation>
    </message>
    <message>
        <source>Net&amp;work</source>
        <translation>&amp;Red</translation>
    </message>
    <message>
        <source>&amp;Data</source>
        <translation>&amp;Datos</translation>
    </message>
    <message>
        <source>Server profiles</source>
        <translation>Perfiles de servidor</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Añadir</translation>
    </message>
    <message>
        <source>Other server…</source>
        <translation>Otro servidor…</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Profile name</source>
        <translation>Nombre del perfil</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>URL base</translation>
    </message>
    <message>
        <source>This server &amp;requires an API key</source>
        <translation>Este servidor &amp;requiere una clave de API</translation>
    </message>
    <message>
        <source>Remo&amp;ve key</source>
        <translation>Borrar la c&amp;lave</translation>
    </message>
    <message>
        <source>Delete this profile&apos;s saved key from the keyring now</source>
        <translation>Borrar ahora del llavero la clave guardada de este perfil</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Probar la conexión</translation>
    </message>
    <message>
        <source>&amp;Use this profile</source>
        <translation>&amp;Usar este perfil</translation>
    </message>
    <message>
        <source>&amp;Profile name:</source>
        <translation>N&amp;ombre del perfil:</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>URL &amp;base:</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>Cla&amp;ve de API:</translation>
    </message>
    <message>
        <source>The saved key could not be read: %1</source>
        <translation>No se pudo leer la clave guardada: %1</translation>
    </message>
    <message>
        <source>Saved. Type a new key to replace it.</source>
        <translation>Guardada. Escribe una clave nueva para reemplazarla.</translation>
    </message>
    <message>
        <source>OPENAI_BASE_URL is set, so requests go to %1 instead.</source>
        <translation>OPENAI_BASE_URL está definida, así que las peticiones van a %1.</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>En uso</translation>
    </message>
    <message>
        <source>My server</source>
        <translation>Mi servidor</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Probando…</translation>
    </message>
</context>
<context>
    <name>SettingsFile</name>
    <message>
        <source>Your settings could not be read ({reason}); the defaults are used for now.</source>
        <translation>No se pudieron leer tus ajustes ({reason}); por ahora se usan los valores predeterminados.</translation>
    </message>
    <message>
        <source>Some settings were not valid and are back to their defaults: {names}.</source>
        <translation>Algunos ajustes no eran válidos y han vuelto a sus valores predeterminados: {names}.</translation>
    </message>
    <message>
        <source>Your settings were saved by a newer version of Desktop Chat. They are used as far as this version understands them, and it will not change them.</source>
        <translation>Tus ajustes los guardó una versión más reciente de Desktop Chat. Se usan en la medida en que esta versión los entiende, y no los modificará.</translation>
    </message>
    <message>
        <source>Your settings file is damaged, so the defaults are used for now.</source>
        <translation>Tu archivo de ajustes está dañado, así que por ahora se usan los valores predeterminados.</translation>
    </message>
    <message>
        <source>Your settings file was damaged, so the defaults are used. It was kept as {file}.</source>
        <translation>Tu archivo de ajustes estaba dañado, así que se usan los valores predeterminados. Se conservó como {file}.</translation>
    </message>
</context>
<context>
    <name>SettingsService</name>
    <message>
        <source>The API key for {profile} could not be read: {reason}</source>
        <translation>No se pudo leer la clave de API de {profile}: {reason}</translation>
    </message>
    <message>
        <source>No API key is set for {profile}. Add one in Settings (Ctrl+,), or start Desktop Chat with OPENAI_API_KEY set.</source>
        <translation>No hay ninguna clave de API para {profile}. Añade una en Ajustes (Ctrl+,) o inicia Desktop Chat con OPENAI_API_KEY definida.</translation>
    </message>
    <message>
        <source>Your settings file could not be read at start, so it is not overwritten. Check {file}, then restart Desktop Chat.</source>
        <translation>Tu archivo de ajustes no se pudo leer al iniciar, así que no se sobrescribe. Revisa {file} y reinicia Desktop Chat.</translation>
    </message>
    <message>
        <source>The settings could not be saved: {reason}.</source>
        <translation>No se pudieron guardar los ajustes: {reason}.</translation>
    </message>
    <message>
        <source>It works: {server} answered and offers 1 model.</source>
        <translation>Funciona: {server} respondió y ofrece 1 modelo.</translation>
    </message>
    <message>
        <source>It works: {server} answered and offers {count} models.</source>
        <translation>Funciona: {server} respondió y ofrece {count} modelos.</translation>
    </message>
    <message>
        <source>It works: {server} answered.</source>
        <translation>Funciona: {server} respondió.</translation>
    </message>
</context>
<context>
    <name>ShortcutsHelp</name>
    <message>
        <source>Send the message</source>
        <translation>Enviar el mensaje</translation>
    </message>
    <message>
        <source>New line in the message</source>
        <translation>Línea nueva en el mensaje</translation>
    </message>
    <message>
        <source>{key} (or {other}, as set)</source>
        <translation>{key} (o {other}, según los ajustes)</translation>
    </message>
    <message>
        <source>{key} (or {other})</source>
        <translation>{key} (o {other})</translation>
    </message>
    <message>
        <source>Attach a copied picture or files</source>
        <translation>Adjuntar una imagen o archivos copiados</translation>
    </message>
    <message>
        <source>Rename the selected chat</source>
        <translation>Cambiar el nombre del chat seleccionado</translation>
    </message>
    <message>
        <source>Delete the selected chat</source>
        <translation>Eliminar el chat seleccionado</translation>
    </message>
    <message>
        <source>Next / previous match in Find</source>
        <translation>Coincidencia siguiente / anterior al buscar</translation>
    </message>
    <message>
        <source>Move between parts of the window</source>
        <translation>Moverse entre las partes de la ventana</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New chat</source>
        <translation>Nuevo chat</translation>
    </message>
    <message>
        <source>Start a new chat (Ctrl+N)</source>
        <translation>Empezar un chat nuevo (Ctrl+N)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>Servers, API keys and defaults (Ctrl+,)</source>
        <translation>Servidores, claves de API y valores predeterminados (Ctrl+,)</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversaciones</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Cambiar nombre</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>Fijar</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>Dejar de fijar</translation>
    </message>
    <message>
        <source>Export %1 conversations…</source>
        <translation>Exportar %1 conversaciones…</translation>
    </message>
</context>
<context>
    <name>Store</name>
    <message>
        <source>This conversation was saved by a newer version of Desktop Chat (format {version}) and cannot be shown by this one ({reason}).</source>
        <translation>Esta conversación la guardó una versión más reciente de Desktop Chat (formato {version}) y esta no puede mostrarla ({reason}).</translation>
    </message>
    <message>
        <source>This conversation is no longer in the data folder.</source>
        <translation>Esta conversación ya no está en la carpeta de datos.</translation>
    </message>
    <message>
        <source>{file} could not be read: {reason}.</source>
        <translation>No se pudo leer {file}: {reason}.</translation>
    </message>
    <message>
        <source>{file} could not be read ({reason}); it was moved to {folder}.</source>
        <translation>No se pudo leer {file} ({reason}); se movió a {folder}.</translation>
    </message>
    <message>
        <source>{file} could not be read: {reason}</source>
        <translation>No se pudo leer {file}: {reason}</translation>
    </message>
    <message>
        <source>Search is unavailable: the search index could not be built ({reason}). Your conversations are all there.</source>
        <translation>La búsqueda no está disponible: no se pudo crear el índice de búsqueda ({reason}). Todas tus conversaciones siguen ahí.</translation>
    </message>
    <message>
        <source>This conversation was saved by a newer version of Desktop Chat and is read-only here.</source>
        <translation>Esta conversación la guardó una versión más reciente de Desktop Chat y aquí es de solo lectura.</translation>
    </message>
    <message>
        <source>The import could not be written ({reason}); nothing was imported.</source>
        <translation>No se pudo escribir la importación ({reason}); no se importó nada.</translation>
    </message>
    <message>
        <source>Could not move the conversation to the trash: {reason}.</source>
        <translation>No se pudo mover la conversación a la papelera: {reason}.</translation>
    </message>
    <message>
        <source>{file} could not be read ({reason}).</source>
        <translation>No se pudo leer {file} ({reason}).</translation>
    </message>
    <message>
        <source>Could not restore the conversation: {reason}.</source>
        <translation>No se pudo restaurar la conversación: {reason}.</translation>
    </message>
    <message>
        <source>Not a valid conversation id: {id}</source>
        <translation>No es un id de conversación válido: {id}</translation>
    </message>
    <message>
        <source>The conversation</source>
        <translation>la conversación</translation>
    </message>
    <message>
        <source>{name} could not be saved: the disk is full. Free some space.</source>
        <translation>No se pudo guardar {name}: el disco está lleno. Libera algo de espacio.</translation>
    </message>
    <message>
        <source>{name} could not be saved: the data folder is read-only or not writable.</source>
        <translation>No se pudo guardar {name}: la carpeta de datos es de solo lectura o no se puede escribir en ella.</translation>
    </message>
    <message>
        <source>{name} could not be saved: the system refused a file this large.</source>
        <translation>No se pudo guardar {name}: el sistema rechazó un archivo tan grande.</translation>
    </message>
    <message>
        <source>{name} could not be saved: {reason}.</source>
        <translation>No se pudo guardar {name}: {reason}.</translation>
    </message>
    <message>
        <source>It is kept in memory and Desktop Chat will try again.</source>
        <translation>Se conserva en memoria y Desktop Chat volverá a intentarlo.</translation>
    </message>
</context>
<context>
    <name>SystemPromptDialog</name>
    <message>
        <source>System prompt</source>
        <translation>Instrucciones del sistema</translation>
    </message>
    <message>
        <source>Instructions the assistant follows in this conversation. They are sent with every question.</source>
        <translation>Instrucciones que el asistente sigue en esta conversación. Se envían con cada pregunta.</translation>
    </message>
</context>
<context>
    <name>UnsavedDialog</name>
    <message>
        <source>Some conversations are not saved</source>
        <translation>Hay conversaciones sin guardar</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>&amp;Reintentar</translation>
    </message>
    <message>
        <source>&amp;Save a copy…</source>
        <translation>&amp;Guardar una copia…</translation>
    </message>
    <message>
        <source>Write them into another folder, from where Import brings them back</source>
        <translation>Escribirlas en otra carpeta, desde donde Importar las trae de vuelta</translation>
    </message>
    <message>
        <source>&amp;Quit without saving</source>
        <translation>&amp;Salir sin guardar</translation>
    </message>
    <message>
        <source> and %1 more</source>
        <translation> y %1 más</translation>
    </message>
    <message>
        <source>This conversation could not be saved, and would be lost: %1.</source>
        <translation>Esta conversación no se pudo guardar y se perdería: %1.</translation>
    </message>
    <message>
        <source>These conversations could not be saved, and would be lost: %1.</source>
        <translation>Estas conversaciones no se pudieron guardar y se perderían: %1.</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Desktop Chat</source>
        <translation>Te damos la bienvenida a Desktop Chat</translation>
    </message>
    <message>
        <source>Chat with OpenAI&apos;s models using your own API key, or with a model server running on your computer (Ollama, LM Studio, llama.cpp…).</source>
        <translation>Conversa con los modelos de OpenAI usando tu propia clave de API, o con un servidor de modelos que funcione en tu equipo (Ollama, LM Studio, llama.cpp…).</translation>
    </message>
    <message>
        <source>&amp;OpenAI</source>
        <translation>&amp;OpenAI</translation>
    </message>
    <message>
        <source>A &amp;local or other server</source>
        <translation>Un servidor &amp;local u otro</translation>
    </message>
    <message>
        <source>Other (OpenAI-compatible)</source>
        <translation>Otro (compatible con OpenAI)</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>URL base</translation>
    </message>
    <message>
        <source>Connect to:</source>
        <translation>Conectar con:</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Servidor:</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>URL &amp;base:</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>Cla&amp;ve de API:</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>&amp;Probar</translation>
    </message>
    <message>
        <source>Ask the server whether it accepts this key</source>
        <translation>Preguntar al servidor si acepta esta clave</translation>
    </message>
    <message>
        <source>&amp;Save and start</source>
        <translation>&amp;Guardar y empezar</translation>
    </message>
    <message>
        <source>You can change all of this later in Settings (Ctrl+,).</source>
        <translation>Puedes cambiar todo esto más tarde en Ajustes (Ctrl+,).</translation>
    </message>
    <message>
        <source>Your key is kept in the system keyring, never in a file or a log.</source>
        <translation>Tu clave se guarda en el llavero del sistema, nunca en un archivo ni en un registro.</translation>
    </message>
    <message>
        <source>My server</source>
        <translation>Mi servidor</translation>
    </message>
    <message>
        <source>Not needed by most local servers</source>
        <translation>La mayoría de los servidores locales no la necesitan</translation>
    </message>
    <message>
        <source>Enter your API key first.</source>
        <translation>Primero escribe tu clave de API.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Probando…</translation>
    </message>
    <message>
        <source>Choose where to keep the key, then save again.</source>
        <translation>Elige dónde guardar la clave y vuelve a guardar.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
</context>
</TS>
