// Fixed customer messages the system sends by itself, in the ten supported
// languages: the holding reply for customers at the back of the queue and the
// notes sent when the stale sweep closes a case. English is the fallback.
import type { SupportedLanguage } from "~/reference/channels";

export type LocalizedText = Record<SupportedLanguage, string>;

/** The text in `language`, or English when the language is not supported. */
export function inLanguage(texts: Partial<Record<string, string>> & { en: string }, language: string): string {
  return texts[language] ?? texts.en;
}

export const HOLDING_REPLIES: LocalizedText = {
  en: "Thank you for your message. Because of the current disruption we are receiving far more messages than usual. Your request is in our queue and we will answer as soon as we can. There is no need to send your question again.",
  nl: "Bedankt voor uw bericht. Door de huidige verstoring ontvangen we veel meer berichten dan normaal. Uw vraag staat in onze wachtrij en we antwoorden zo snel als we kunnen. U hoeft uw vraag niet opnieuw te sturen.",
  fr: "Merci pour votre message. En raison des perturbations actuelles, nous recevons beaucoup plus de messages que d'habitude. Votre demande est dans notre file d'attente et nous vous répondrons dès que possible. Inutile de nous renvoyer votre question.",
  de: "Vielen Dank für Ihre Nachricht. Wegen der aktuellen Störungen erhalten wir weit mehr Nachrichten als sonst. Ihre Anfrage ist in unserer Warteschlange und wir antworten so schnell wie möglich. Sie müssen Ihre Frage nicht erneut senden.",
  es: "Gracias por su mensaje. Debido a las incidencias actuales, estamos recibiendo muchos más mensajes de lo habitual. Su solicitud está en nuestra cola y le responderemos lo antes posible. No es necesario que vuelva a enviar su consulta.",
  it: "Grazie per il suo messaggio. A causa dei disagi in corso riceviamo molti più messaggi del solito. La sua richiesta è in coda e le risponderemo il prima possibile. Non è necessario inviare di nuovo la sua domanda.",
  pt: "Obrigado pela sua mensagem. Devido às perturbações atuais, estamos a receber muito mais mensagens do que o habitual. O seu pedido está na nossa fila e responderemos assim que possível. Não é necessário enviar novamente a sua pergunta.",
  zh: "感谢您的留言。由于当前航班运行受到影响，我们收到的消息远多于平时。您的请求已在排队处理中，我们会尽快回复您，无需重复发送。",
  ja: "お問い合わせありがとうございます。現在の運航への影響により、通常よりも多くのお問い合わせをいただいております。お客様のご依頼は順番に対応しており、できるだけ早くご返信いたします。同じ内容を再度お送りいただく必要はございません。",
  ko: "문의해 주셔서 감사합니다. 현재 운항 차질로 인해 평소보다 훨씬 많은 문의가 접수되고 있습니다. 고객님의 요청은 대기열에 등록되었으며 최대한 빨리 답변드리겠습니다. 같은 문의를 다시 보내지 않으셔도 됩니다.",
};

/** The automatic "we will answer as soon as we can" reply, in the case language (English fallback). */
export function holdingReplyFor(language: string): string {
  return inLanguage(HOLDING_REPLIES, language);
}

export const FLIGHT_DEPARTED_MESSAGES: LocalizedText = {
  en: "Your flight has already departed, so we have closed your request about it. If you still need help, for example with a refund or your baggage, please send us a new message.",
  nl: "Uw vlucht is inmiddels vertrokken, daarom hebben we uw vraag hierover gesloten. Heeft u nog hulp nodig, bijvoorbeeld bij een terugbetaling of uw bagage? Stuur ons dan een nieuw bericht.",
  fr: "Votre vol est déjà parti ; nous avons donc clôturé votre demande à ce sujet. Si vous avez encore besoin d'aide, par exemple pour un remboursement ou vos bagages, envoyez-nous un nouveau message.",
  de: "Ihr Flug ist bereits abgeflogen, daher haben wir Ihre Anfrage dazu geschlossen. Wenn Sie noch Hilfe brauchen, etwa bei einer Erstattung oder Ihrem Gepäck, schicken Sie uns bitte eine neue Nachricht.",
  es: "Su vuelo ya ha salido, por lo que hemos cerrado su consulta sobre él. Si aún necesita ayuda, por ejemplo con un reembolso o su equipaje, envíenos un nuevo mensaje.",
  it: "Il suo volo è già partito, quindi abbiamo chiuso la sua richiesta al riguardo. Se ha ancora bisogno di aiuto, ad esempio per un rimborso o per il bagaglio, ci invii un nuovo messaggio.",
  pt: "O seu voo já partiu, por isso encerrámos o seu pedido sobre ele. Se ainda precisar de ajuda, por exemplo com um reembolso ou a sua bagagem, envie-nos uma nova mensagem.",
  zh: "您的航班已经起飞，因此我们已关闭您关于该航班的咨询。如仍需帮助（例如退款或行李问题），请给我们发送新消息。",
  ja: "ご予約の便はすでに出発したため、この便に関するお問い合わせはクローズいたしました。払い戻しや手荷物など、引き続きサポートが必要な場合は、新しいメッセージをお送りください。",
  ko: "고객님의 항공편이 이미 출발하여 해당 항공편에 관한 문의를 종료했습니다. 환불이나 수하물 등 추가 도움이 필요하시면 새 메시지를 보내 주세요.",
};

export const DUPLICATE_MESSAGES: LocalizedText = {
  en: "We already have a request from you about this booking and a colleague is working on it. We have closed this duplicate so that you get one complete answer; there is no need to write to us again.",
  nl: "We hebben al een vraag van u over deze boeking en een collega werkt eraan. We hebben dit dubbele bericht gesloten, zodat u één volledig antwoord krijgt; u hoeft ons niet opnieuw te schrijven.",
  fr: "Nous avons déjà une demande de votre part concernant cette réservation et un collègue s'en occupe. Nous avons clôturé ce message en double afin de vous apporter une réponse complète ; inutile de nous écrire à nouveau.",
  de: "Wir haben bereits eine Anfrage von Ihnen zu dieser Buchung, und ein Kollege bearbeitet sie. Wir haben diese doppelte Nachricht geschlossen, damit Sie eine vollständige Antwort erhalten; Sie müssen uns nicht erneut schreiben.",
  es: "Ya tenemos una consulta suya sobre esta reserva y un compañero la está atendiendo. Hemos cerrado este mensaje duplicado para darle una respuesta completa; no es necesario que vuelva a escribirnos.",
  it: "Abbiamo già una sua richiesta su questa prenotazione e un collega se ne sta occupando. Abbiamo chiuso questo messaggio duplicato per darle una risposta completa; non è necessario scriverci di nuovo.",
  pt: "Já temos um pedido seu sobre esta reserva e um colega está a tratar dele. Encerrámos esta mensagem duplicada para lhe dar uma resposta completa; não é necessário escrever-nos novamente.",
  zh: "我们已收到您关于此预订的咨询，同事正在处理。为了给您一个完整的答复，我们已关闭这条重复的消息，您无需再次联系我们。",
  ja: "このご予約に関するお問い合わせはすでに承っており、担当者が対応しております。一つの回答にまとめるため、重複したこのメッセージはクローズいたしました。再度ご連絡いただく必要はございません。",
  ko: "이 예약에 관한 고객님의 문의가 이미 접수되어 담당자가 처리하고 있습니다. 한 번에 답변드리기 위해 중복된 이 메시지는 종료했습니다. 다시 문의하지 않으셔도 됩니다.",
};
